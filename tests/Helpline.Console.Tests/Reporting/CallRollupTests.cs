using System.Globalization;
using Helpline.Console.Reporting;
using Npgsql;

namespace Helpline.Console.Tests.Reporting;

/// <summary>
/// The call rollup (<c>call_quarters</c>), kept by its trigger as events arrive, late and replayed ones
/// included, gives the same reports as the rollup computed from scratch over the same facts.
/// </summary>
public sealed class CallRollupTests : IAsyncLifetime
{
    private const string Day = "2026-10-25"; // the autumn clock change: 01:00–02:00 happens twice
    private ReportSeed _seed = null!;

    public async Task InitializeAsync() => _seed = await ReportSeed.CreateAsync();

    public async Task DisposeAsync() => await _seed.DisposeAsync();

    [Fact]
    public async Task The_rollup_equals_one_computed_from_scratch_after_late_and_replayed_events()
    {
        var random = new Random(11);
        var advisor = _seed.NewAdvisor("x");
        var calls = new List<(Guid Id, DateTimeOffset ReceivedAt)>();
        for (var n = 0; n < 60; n++)
        {
            var received = new DateTime(2026, 10, 25, 0, 0, 0).AddMinutes(random.Next(0, 24 * 60)).AddSeconds(random.Next(0, 60));
            var at = (int seconds) => received.AddSeconds(seconds).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            var id = _seed.Contact(at(0), random.Next(5) == 0 ? null : $"k{random.Next(12)}");
            calls.Add((id, ReportSeed.Local(at(0))));
            var wait = random.Next(1, 90);
            _seed.Event(id, "Queued", at(0));
            switch (random.Next(5))
            {
                case 0 or 1:
                    _seed.Event(id, "Assigned", at(wait), advisor, wait: wait).Event(id, "Answered", at(wait + 1), advisor)
                        .Event(id, "Ended", at(wait + 200), advisor, "Completed", wait);
                    break;
                case 2:
                    _seed.Event(id, "CallerHungUp", at(wait), reason: wait < 5 ? "ShortAbandon" : null).Event(id, "Ended", at(wait), outcome: "Abandoned", wait: wait);
                    break;
                case 3:
                    _seed.Event(id, "Ended", at(600), outcome: "Overflow", wait: 600).Event(id, "CallbackRequested", at(605));
                    break;
            }
        }

        await _seed.SaveAsync(new Random(3));
        var before = await ReportAsync();

        // Late: Intake's hang-up for a call the router completed (now abandoned), an Answered for a call still
        // waiting, the routers' journal replaying an Ended it had already written, and a wrap-up after the fact.
        var (completed, queued) = (calls[0].Id, calls[^1].Id);
        _seed.Event(completed, "CallerHungUp", Shift(calls[0].ReceivedAt, 2))
            .Event(queued, "Assigned", Shift(calls[^1].ReceivedAt, 30), advisor, wait: 30)
            .Event(queued, "Answered", Shift(calls[^1].ReceivedAt, 31), advisor)
            .Event(queued, "Ended", Shift(calls[^1].ReceivedAt, 300), advisor, "Completed", 30)
            .Event(queued, "Ended", Shift(calls[^1].ReceivedAt, 300), advisor, "Completed", 30)
            .Advisor(advisor, "WrapUp", Shift(calls[^1].ReceivedAt, 300))
            .Advisor(advisor, "Available", Shift(calls[^1].ReceivedAt, 345));
        await _seed.SaveAsync();

        var kept = await ReportAsync();
        var keptRows = await QuartersAsync();
        await RebuildAsync();

        Assert.Equal(keptRows, await QuartersAsync());
        foreach (var grouping in new[] { ReportGrouping.Minutes15, ReportGrouping.Minutes60, ReportGrouping.Day })
        {
            Assert.Equal(JsonSerializer.Serialize(kept[grouping]), JsonSerializer.Serialize((await ReportAsync())[grouping]));
        }

        Assert.NotEqual(JsonSerializer.Serialize(before[ReportGrouping.Day]), JsonSerializer.Serialize(kept[ReportGrouping.Day]));
        Assert.Equal(before[ReportGrouping.Day].Totals.Calls.Received, kept[ReportGrouping.Day].Totals.Calls.Received);
    }

    private static string Shift(DateTimeOffset instant, int seconds) =>
        TimeZoneInfo.ConvertTime(instant.AddSeconds(seconds), TimeZoneInfo.FindSystemTimeZoneById("Europe/London"))
            .ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private async Task<Dictionary<ReportGrouping, IntervalReport>> ReportAsync()
    {
        var reports = new Dictionary<ReportGrouping, IntervalReport>();
        foreach (var grouping in new[] { ReportGrouping.Minutes15, ReportGrouping.Minutes60, ReportGrouping.Day })
        {
            reports[grouping] = await _seed.ReportAsync(Day, Day, grouping, "2026-10-26 12:00:00");
        }

        return reports;
    }

    /// <summary>The rollup's rows, leaving out quarters whose calls all moved away (the trigger keeps them at zero).</summary>
    private async Task<List<string>> QuartersAsync()
    {
        await using var connection = new NpgsqlConnection(_seed.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT q::text FROM console.call_quarters q WHERE q.received <> 0 ORDER BY q.quarter_start", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    private async Task RebuildAsync()
    {
        await using var connection = new NpgsqlConnection(_seed.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"TRUNCATE console.call_quarters; {CallQuarterRollup.RebuildSql}", connection);
        await command.ExecuteNonQueryAsync();
    }
}
