namespace Helpline.Intake.Tests.Hours;

public sealed class ClosuresApiTests(IntakeFixture fixture) : IClassFixture<IntakeFixture>
{
    [Fact]
    public async Task Supervisor_adds_lists_and_removes_a_closure()
    {
        var starts = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(3).AddHours(12), TimeSpan.Zero);
        var ends = starts.AddHours(3);

        var created = await fixture.Client.PostAsJsonAsync("/api/closures", new { startsAt = starts, endsAt = ends, reason = " Team training " });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var closure = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = closure.GetProperty("id").GetGuid();
        Assert.Equal($"/api/closures/{id}", created.Headers.Location?.ToString());
        Assert.Equal("Team training", closure.GetProperty("reason").GetString());
        var listed = await fixture.Client.GetFromJsonAsync<JsonElement>("/api/closures");
        Assert.Contains(listed.EnumerateArray(), c => c.GetProperty("id").GetGuid() == id && c.GetProperty("startsAt").GetDateTimeOffset() == starts);

        var removed = await fixture.Client.DeleteAsync($"/api/closures/{id}");
        var again = await fixture.Client.DeleteAsync($"/api/closures/{id}");

        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain((await fixture.Client.GetFromJsonAsync<JsonElement>("/api/closures")).EnumerateArray(), c => c.GetProperty("id").GetGuid() == id);
    }

    [Fact]
    public async Task Opening_hours_report_the_week_and_the_next_opening()
    {
        var hours = await fixture.Client.GetFromJsonAsync<JsonElement>("/api/opening-hours");

        // The fixture's Intake is open round the clock (HelplineSettings.AlwaysOpen); the published week's wording is OpeningHoursTests'.
        Assert.Equal("Monday, Tuesday, Wednesday, Thursday, Friday, Saturday and Sunday from 12am to midnight", hours.GetProperty("week").GetString());
        Assert.True(hours.GetProperty("nextOpening").GetDateTimeOffset() >= DateTimeOffset.UtcNow.AddMinutes(-1));
        Assert.True(hours.GetProperty("open").GetBoolean());
    }

    public static TheoryData<string, string, string> BadClosures
    {
        get
        {
            var starts = DateTimeOffset.UtcNow.AddDays(2).ToString("O");
            var ends = DateTimeOffset.UtcNow.AddDays(2).AddHours(3).ToString("O");
            return new()
            {
                { "ends before it starts", "application/json", $"{{\"startsAt\":\"{ends}\",\"endsAt\":\"{starts}\",\"reason\":\"x\"}}" },
                { "already over", "application/json", "{\"startsAt\":\"2020-01-01T13:00:00Z\",\"endsAt\":\"2020-01-01T16:00:00Z\",\"reason\":\"x\"}" },
                { "longer than a month", "application/json", $"{{\"startsAt\":\"{starts}\",\"endsAt\":\"{DateTimeOffset.UtcNow.AddDays(60):O}\",\"reason\":\"x\"}}" },
                { "empty reason", "application/json", $"{{\"startsAt\":\"{starts}\",\"endsAt\":\"{ends}\",\"reason\":\"  \"}}" },
                { "reason on two lines", "application/json", $"{{\"startsAt\":\"{starts}\",\"endsAt\":\"{ends}\",\"reason\":\"a\\nb\"}}" },
                { "reason too long", "application/json", $"{{\"startsAt\":\"{starts}\",\"endsAt\":\"{ends}\",\"reason\":\"{new string('r', 201)}\"}}" },
                { "missing startsAt", "application/json", $"{{\"endsAt\":\"{ends}\",\"reason\":\"x\"}}" },
                { "unknown field", "application/json", $"{{\"startsAt\":\"{starts}\",\"endsAt\":\"{ends}\",\"reason\":\"x\",\"by\":\"me\"}}" },
                { "not a time", "application/json", $"{{\"startsAt\":\"tomorrow\",\"endsAt\":\"{ends}\",\"reason\":\"x\"}}" },
                { "malformed JSON", "application/json", "{\"startsAt\":" },
                { "wrong content type", "text/plain", $"{{\"startsAt\":\"{starts}\",\"endsAt\":\"{ends}\",\"reason\":\"x\"}}" },
                { "oversized", "application/json", $"{{\"startsAt\":\"{starts}\",\"endsAt\":\"{ends}\",\"reason\":\"{new string(' ', 5000)}x\"}}" },
            };
        }
    }

    [Theory]
    [MemberData(nameof(BadClosures))]
    public async Task Bad_closure_is_refused_with_problem_details_and_not_stored(string why, string contentType, string body)
    {
        var before = await fixture.Database.CountAsync("SELECT count(*) FROM intake.closures");
        using var response = await fixture.Client.PostRawAsync("/api/closures", contentType, body);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{why}: {response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await fixture.Database.CountAsync("SELECT count(*) FROM intake.closures"));
    }

    [Fact]
    public async Task Removing_an_unknown_or_malformed_closure_id_is_not_found()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client.DeleteAsync($"/api/closures/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client.DeleteAsync("/api/closures/not-a-guid")).StatusCode);
    }
}
