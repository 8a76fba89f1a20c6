namespace Helpline.Intake.Tests.Hours;

/// <summary>Special closures reach Intake only as Console's messages; the hours stay public.</summary>
public sealed class SpecialClosureTests(IntakeFixture fixture) : IClassFixture<IntakeFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private Task PublishAsync<T>(T message)
        where T : class => fixture.Intake.Services.GetRequiredService<IBus>().Publish(message);

    private Task<long> RowsAsync(Guid id, string where = "true") =>
        fixture.Database.CountAsync($"SELECT count(*) FROM intake.closures WHERE id = '{id}' AND {where}");

    private static (SpecialClosureScheduled Scheduled, SpecialClosureCancelled Cancelled) Closure()
    {
        var starts = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(3).AddHours(12), TimeSpan.Zero);
        var scheduled = new SpecialClosureScheduled { ClosureId = Guid.NewGuid(), StartsAt = starts, EndsAt = starts.AddHours(3), Reason = "Team training" };
        return (scheduled, new SpecialClosureCancelled
        {
            ClosureId = scheduled.ClosureId, StartsAt = scheduled.StartsAt, EndsAt = scheduled.EndsAt, Reason = scheduled.Reason, CancelledAt = DateTimeOffset.UtcNow,
        });
    }

    [Fact]
    public async Task A_closure_is_stored_once_however_often_it_is_delivered_and_a_cancellation_keeps_it_cancelled()
    {
        var (scheduled, cancelled) = Closure();

        await PublishAsync(scheduled);
        await PublishAsync(scheduled);
        await Eventually.WaitAsync(() => RowsAsync(scheduled.ClosureId, "cancelled_at IS NULL"), c => c == 1, Timeout, "the closure stored");
        await PublishAsync(cancelled);
        await Eventually.WaitAsync(() => RowsAsync(scheduled.ClosureId, "cancelled_at IS NOT NULL"), c => c == 1, Timeout, "the closure cancelled");
        await PublishAsync(scheduled);
        await PublishAsync(cancelled);
        var marker = Closure().Scheduled;
        await PublishAsync(marker);
        await Eventually.WaitAsync(() => RowsAsync(marker.ClosureId), c => c == 1, Timeout, "a later message consumed");

        Assert.Equal(1, await RowsAsync(scheduled.ClosureId, "cancelled_at IS NOT NULL"));
    }

    [Fact]
    public async Task A_cancellation_that_arrives_before_its_closure_wins()
    {
        var (scheduled, cancelled) = Closure();

        await PublishAsync(cancelled);
        await Eventually.WaitAsync(() => RowsAsync(scheduled.ClosureId, "cancelled_at IS NOT NULL"), c => c == 1, Timeout, "the cancellation stored");
        await PublishAsync(scheduled);
        var marker = Closure().Scheduled;
        await PublishAsync(marker);
        await Eventually.WaitAsync(() => RowsAsync(marker.ClosureId), c => c == 1, Timeout, "a later message consumed");

        Assert.Equal(1, await RowsAsync(scheduled.ClosureId));
        Assert.Equal(1, await RowsAsync(scheduled.ClosureId, "cancelled_at IS NOT NULL"));
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    [InlineData("DELETE")]
    public async Task Intake_has_no_closures_endpoint(string method)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), method == "DELETE" ? $"/api/closures/{Guid.NewGuid()}" : "/api/closures")
        {
            Content = method == "POST" ? JsonContent.Create(new { startsAt = DateTimeOffset.UtcNow.AddDays(1), endsAt = DateTimeOffset.UtcNow.AddDays(2), reason = "x" }) : null,
        };

        using var response = await fixture.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
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
}
