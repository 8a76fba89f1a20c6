namespace Helpline.Console.Tests.Hours;

/// <summary>Supervisors manage special closures in Console: audited, sent to Intake through the outbox; nobody else may.</summary>
public sealed class SpecialClosureTests
{
    private static readonly TimeSpan Timeout = ConsoleRig.Timeout;

    private static async Task<HttpClient> ClientAsync(ConsoleRig rig, string name, string role) =>
        await TestAccounts.ClientAsync(rig.Console.Address, await TestAccounts.EnsureUserAsync(rig.Console.Address, name, role));

    private static object Closure(string reason = " Team training ")
    {
        var starts = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(3).AddHours(12), TimeSpan.Zero);
        return new { startsAt = starts, endsAt = starts.AddHours(3), reason };
    }

    [Fact]
    public async Task Supervisor_adds_lists_and_cancels_a_closure_each_change_audited_and_sent_to_Intake()
    {
        await using var rig = await ConsoleRig.StartAsync();
        await using var scheduled = await MessageProbe.CreateAsync(rig.VirtualHost.ConnectionString, typeof(SpecialClosureScheduled));
        await using var cancelled = await MessageProbe.CreateAsync(rig.VirtualHost.ConnectionString, typeof(SpecialClosureCancelled));
        using var supervisor = await ClientAsync(rig, "sam", "Supervisor");

        var created = await supervisor.PostAsJsonAsync("/api/closures", Closure());

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.Equal($"/api/closures/{id}", created.Headers.Location?.ToString());
        var listed = await supervisor.GetFromJsonAsync<JsonElement>("/api/closures");
        Assert.Contains(listed.EnumerateArray(), c => c.GetProperty("id").GetGuid() == id && c.GetProperty("reason").GetString() == "Team training");
        await Eventually.WaitAsync(() => Task.FromResult(scheduled.CountWhere("closureId", id.ToString())), c => c == 1, Timeout, "SpecialClosureScheduled for Intake");
        Assert.Equal(1, await rig.Database.CountAsync($"SELECT count(*) FROM console.audit_entries WHERE action = 'SpecialClosureAdded' AND target = '{id}' AND actor_id IS NOT NULL"));

        var removed = await supervisor.DeleteAsync($"/api/closures/{id}");
        var again = await supervisor.DeleteAsync($"/api/closures/{id}");

        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
        await Eventually.WaitAsync(() => Task.FromResult(cancelled.CountWhere("closureId", id.ToString())), c => c == 1, Timeout, "SpecialClosureCancelled for Intake");
        Assert.Equal(1, await rig.Database.CountAsync($"SELECT count(*) FROM console.audit_entries WHERE action = 'SpecialClosureCancelled' AND target = '{id}'"));
        Assert.DoesNotContain((await supervisor.GetFromJsonAsync<JsonElement>("/api/closures")).EnumerateArray(), c => c.GetProperty("id").GetGuid() == id);
    }

    [Fact]
    public async Task Anonymous_callers_and_advisors_cannot_see_add_or_cancel_closures_and_change_nothing()
    {
        await using var rig = await ConsoleRig.StartAsync();
        using var anonymous = rig.Console.CreateHttpClient();
        using var advisor = await ClientAsync(rig, "alice", "Advisor");
        using var supervisor = await ClientAsync(rig, "sam", "Supervisor");
        var id = (await (await supervisor.PostAsJsonAsync("/api/closures", Closure())).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        foreach (var (client, status) in new[] { (anonymous, HttpStatusCode.Unauthorized), (advisor, HttpStatusCode.Forbidden) })
        {
            Assert.Equal(status, (await client.GetAsync("/api/closures")).StatusCode);
            Assert.Equal(status, (await client.PostAsJsonAsync("/api/closures", Closure())).StatusCode);
            Assert.Equal(status, (await client.DeleteAsync($"/api/closures/{id}")).StatusCode);
        }

        Assert.Equal(1, await rig.Database.CountAsync("SELECT count(*) FROM console.special_closures WHERE cancelled_at IS NULL"));
    }

    public static TheoryData<string, string> BadClosures
    {
        get
        {
            var starts = DateTimeOffset.UtcNow.AddDays(2).ToString("O");
            var ends = DateTimeOffset.UtcNow.AddDays(2).AddHours(3).ToString("O");
            return new()
            {
                { "ends before it starts", $"{{\"startsAt\":\"{ends}\",\"endsAt\":\"{starts}\",\"reason\":\"x\"}}" },
                { "already over", "{\"startsAt\":\"2020-01-01T13:00:00Z\",\"endsAt\":\"2020-01-01T16:00:00Z\",\"reason\":\"x\"}" },
                { "longer than a month", $"{{\"startsAt\":\"{starts}\",\"endsAt\":\"{DateTimeOffset.UtcNow.AddDays(60):O}\",\"reason\":\"x\"}}" },
                { "empty reason", $"{{\"startsAt\":\"{starts}\",\"endsAt\":\"{ends}\",\"reason\":\"  \"}}" },
                { "reason on two lines", $"{{\"startsAt\":\"{starts}\",\"endsAt\":\"{ends}\",\"reason\":\"a\\nb\"}}" },
                { "reason too long", $"{{\"startsAt\":\"{starts}\",\"endsAt\":\"{ends}\",\"reason\":\"{new string('r', 201)}\"}}" },
                { "missing startsAt", $"{{\"endsAt\":\"{ends}\",\"reason\":\"x\"}}" },
                { "not a time", $"{{\"startsAt\":\"tomorrow\",\"endsAt\":\"{ends}\",\"reason\":\"x\"}}" },
                { "malformed JSON", "{\"startsAt\":" },
            };
        }
    }

    [Fact]
    public async Task Bad_closures_are_refused_with_problem_details_and_nothing_is_stored_audited_or_sent()
    {
        await using var rig = await ConsoleRig.StartAsync();
        using var supervisor = await ClientAsync(rig, "sam", "Supervisor");

        foreach (var row in BadClosures)
        {
            var (why, body) = ((string)row[0], (string)row[1]);
            using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
            using var response = await supervisor.PostAsync("/api/closures", content);

            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{why}: {response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(0, await rig.Database.CountAsync("SELECT count(*) FROM console.special_closures"));
        Assert.Equal(0, await rig.Database.CountAsync("SELECT count(*) FROM console.audit_entries WHERE action LIKE 'SpecialClosure%'"));
        Assert.Equal(0, await rig.Database.CountAsync("SELECT count(*) FROM console.outbox_messages WHERE message_type LIKE '%SpecialClosure%'"));
    }
}
