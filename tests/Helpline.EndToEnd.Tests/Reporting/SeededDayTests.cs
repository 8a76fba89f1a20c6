using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Helpline.Console.Reporting;
using Helpline.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Npgsql;

namespace Helpline.EndToEnd.Tests.Reporting;

/// <summary>
/// Calls that arrived around midnight and across both of 2026's clock changes, taken through Intake and
/// the router for real (answered, abandoned, short abandons, turned away, overflowed, still waiting):
/// every 30-minute interval reconciles exactly (received = answered + unanswered by reason + still open),
/// holds the calls the script put in it, and Intake's own record of each call agrees with Console's.
/// </summary>
public sealed class SeededDayTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    private enum Fate
    {
        Answered,
        Abandoned,
        ShortAbandon,
        NoAdvisors,
        Overflow,
        Open,
    }

    /// <summary>UTC instants: around midnight, the hour skipped on 29 March and the hour repeated on 25 October.</summary>
    private static readonly string[] Arrivals =
    [
        "2026-03-28T23:40:00Z", "2026-03-28T23:55:00Z", "2026-03-29T00:05:00Z", "2026-03-29T00:35:00Z",
        "2026-03-29T00:50:00Z", "2026-03-29T01:05:00Z", "2026-03-29T01:20:00Z", "2026-03-29T01:40:00Z",
        "2026-10-24T22:50:00Z", "2026-10-24T23:10:00Z", "2026-10-24T23:45:00Z", "2026-10-25T00:10:00Z",
        "2026-10-25T00:40:00Z", "2026-10-25T00:55:00Z", "2026-10-25T01:10:00Z", "2026-10-25T01:50:00Z",
        "2026-10-25T02:05:00Z",
    ];

    [Fact]
    public async Task A_seeded_day_across_midnight_and_both_clock_changes_reconciles_and_Intake_agrees()
    {
        await using var slice = (await Slice.CreateAsync(settings: new Dictionary<string, string?>
        {
            ["Routing:WrapUp"] = "00:00:01",
            ["Routing:CallMaxQueueLength"] = "1",
        })).StartConsole().StartIntake();
        using var intake = await slice.Intake!.CreateIntegrationClientAsync();
        var fates = new Dictionary<DateTimeOffset, Fate>();
        var arrivals = new Queue<DateTimeOffset>(Arrivals.Select(a => DateTimeOffset.Parse(a, CultureInfo.InvariantCulture)));

        async Task<(string Id, Guid ContactId)> PostAsync(Fate fate)
        {
            var receivedAt = arrivals.Dequeue();
            fates[receivedAt] = fate;
            var id = $"day-{Guid.NewGuid():N}";
            var number = fate == Fate.Abandoned ? null : $"+4477009{fates.Count % 4:00000}";
            var response = await intake.PostAsJsonAsync("/api/calls", new { providerCallId = id, callerNumber = number, dialledNumber = "+448088020300", receivedAt });
            response.EnsureSuccessStatusCode();
            return (id, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("contactId").GetGuid());
        }

        async Task HangUpAsync(string id, DateTimeOffset receivedAt, int afterSeconds) =>
            (await intake.PostAsJsonAsync($"/api/calls/{id}/hangup", new { at = receivedAt.AddSeconds(afterSeconds) })).EnsureSuccessStatusCode();

        // Nobody signed in: turned away.
        await PostAsync(Fate.NoAdvisors);
        await PostAsync(Fate.NoAdvisors);
        await WaitForStateAsync(slice, "NoAdvisors", 2);

        await using var advisor = await slice.AvailableAdvisorAsync("alice");
        for (var round = 0; round < 4; round++)
        {
            // Answered and ended; then, one at a time (the queue holds one), a caller who hangs up while it rings and one who hangs up at once.
            await AnswerAsync(slice, advisor, intake, await PostAsync(Fate.Answered), end: true);
            await AvailableAsync(advisor);
            var (abandoned, _) = await PostAsync(Fate.Abandoned);
            await HangUpAsync(abandoned, fates.Keys.Last(), 45);
            await WaitForStateAsync(slice, "Abandoned", (round * 2) + 1);
            var (shortId, _) = await PostAsync(Fate.ShortAbandon);
            await HangUpAsync(shortId, fates.Keys.Last(), 2);
            await WaitForStateAsync(slice, "Abandoned", (round * 2) + 2);
            await AvailableAsync(advisor);
        }

        // Alice on a call: one caller waits (the queue holds one), the next overflows; the first is still waiting at the end.
        await AnswerAsync(slice, advisor, intake, await PostAsync(Fate.Answered), end: false);
        await PostAsync(Fate.Open);
        await PostAsync(Fate.Overflow);
        await WaitForStateAsync(slice, "Overflow", 1);
        Assert.Empty(arrivals);

        using var supervisor = await TestAccounts.ClientAsync(slice.Console!.Address, await TestAccounts.EnsureUserAsync(slice.Console.Address, "sam", "Supervisor"));
        var intakeCalls = await IntakeCallsAsync(slice);
        foreach (var (from, to) in new[] { ("2026-03-28", "2026-03-29"), ("2026-10-24", "2026-10-25") })
        {
            var report = await Eventually.WaitAsync(
                () => supervisor.GetFromJsonAsync<JsonElement>($"/api/reports/intervals?from={from}&to={to}&interval=30m"),
                r => Total(r, "received") == fates.Keys.Count(k => InRange(k, from, to)) && Total(r, "stillOpen") == fates.Count(f => f.Value == Fate.Open && InRange(f.Key, from, to)),
                Timeout,
                $"the report for {from} to {to}");

            foreach (var row in report.GetProperty("intervals").EnumerateArray())
            {
                var start = row.GetProperty("start").GetDateTimeOffset();
                var end = row.GetProperty("end").GetDateTimeOffset();
                var calls = row.GetProperty("calls");
                var unanswered = calls.GetProperty("unanswered");
                var label = row.GetProperty("label").GetString();
                var expected = fates.Where(f => f.Key >= start && f.Key < end).GroupBy(f => f.Value).ToDictionary(g => g.Key, g => (long)g.Count());
                long Expected(Fate fate) => expected.GetValueOrDefault(fate);

                Assert.Equal(calls.GetProperty("received").GetInt64(), calls.GetProperty("answered").GetInt64() + unanswered.GetProperty("total").GetInt64() + calls.GetProperty("stillOpen").GetInt64());
                Assert.True(expected.Values.Sum() == calls.GetProperty("received").GetInt64(), $"{label}: received");
                Assert.True(Expected(Fate.Answered) == calls.GetProperty("answered").GetInt64(), $"{label}: answered");
                Assert.True(Expected(Fate.Abandoned) == unanswered.GetProperty("abandoned").GetInt64(), $"{label}: abandoned");
                Assert.True(Expected(Fate.ShortAbandon) == unanswered.GetProperty("shortAbandon").GetInt64(), $"{label}: short abandons");
                Assert.True(Expected(Fate.NoAdvisors) == unanswered.GetProperty("noAdvisors").GetInt64(), $"{label}: no advisors");
                Assert.True(Expected(Fate.Overflow) == unanswered.GetProperty("overflow").GetInt64(), $"{label}: overflow");
                Assert.True(Expected(Fate.Open) == calls.GetProperty("stillOpen").GetInt64(), $"{label}: still open");

                // Intake's record of the same calls, by what it says became of them.
                var mine = intakeCalls.Where(c => c.ReceivedAt >= start && c.ReceivedAt < end).ToList();
                Assert.True(mine.Count == calls.GetProperty("received").GetInt64(), $"{label}: Intake received");
                Assert.True(mine.Count(c => c.State is "Answered" or "Completed") == calls.GetProperty("answered").GetInt64(), $"{label}: Intake answered");
                Assert.True(mine.Count(c => c is { State: "Abandoned", Short: false }) == unanswered.GetProperty("abandoned").GetInt64(), $"{label}: Intake abandoned");
                Assert.True(mine.Count(c => c is { State: "Abandoned", Short: true }) == unanswered.GetProperty("shortAbandon").GetInt64(), $"{label}: Intake short abandons");
                Assert.True(mine.Count(c => c.State == "NoAdvisors") == unanswered.GetProperty("noAdvisors").GetInt64(), $"{label}: Intake no advisors");
                Assert.True(mine.Count(c => c.State == "Overflow") == unanswered.GetProperty("overflow").GetInt64(), $"{label}: Intake overflow");
                Assert.True(mine.Count(c => c.State == "OutOfHours") == unanswered.GetProperty("outOfHours").GetInt64(), $"{label}: Intake out of hours");
                Assert.True(mine.Count(c => c.State is "Queued" or "Connecting") == calls.GetProperty("stillOpen").GetInt64(), $"{label}: Intake still open");
            }

            // The intervals across the changes are there with their real length: 23:30 GMT to 00:00 and 02:00 BST right after 00:30–01:00 GMT in March; 90 minutes for 01:30–02:00 in October.
            var lengths = report.GetProperty("intervals").EnumerateArray().ToDictionary(r => r.GetProperty("localStart").GetString()!, r => r.GetProperty("lengthMinutes").GetDouble());
            if (from.StartsWith("2026-10", StringComparison.Ordinal))
            {
                Assert.Equal(90, lengths["2026-10-25T01:30:00"]);
            }
            else
            {
                Assert.False(lengths.ContainsKey("2026-03-29T01:00:00"));
            }
        }
    }

    private static bool InRange(DateTimeOffset instant, string from, string to)
    {
        var intervals = ReportIntervals.Build(DateOnly.Parse(from, CultureInfo.InvariantCulture), DateOnly.Parse(to, CultureInfo.InvariantCulture), ReportGrouping.Day, London);
        return instant >= intervals[0].Start && instant < intervals[^1].End;
    }

    private static long Total(JsonElement report, string figure) => report.GetProperty("totals").GetProperty("calls").GetProperty(figure).GetInt64();

    private static async Task AnswerAsync(Slice slice, AdvisorClient advisor, HttpClient intake, (string Id, Guid ContactId) call, bool end)
    {
        var providerCallId = call.Id;
        var offer = await advisor.WaitForOfferAsync(call.ContactId, Timeout);
        await advisor.Connection.InvokeAsync("AcceptOffer", offer.GetProperty("offerId").GetInt64());
        await advisor.WaitForAsync("ContactAssigned", a => a.GetProperty("contactId").GetGuid() == offer.GetProperty("contactId").GetGuid(), Timeout);
        await Eventually.WaitAsync(
            () => slice.Database.CountAsync($"SELECT count(*) FROM intake.inbound_calls WHERE provider_call_id = '{providerCallId}' AND state = 'Answered'"),
            n => n == 1,
            Timeout,
            "the call to be connected");
        if (end)
        {
            (await intake.PostAsJsonAsync($"/api/calls/{providerCallId}/ended", new { endedBy = "Caller" })).EnsureSuccessStatusCode();
        }
    }

    private static Task<JsonElement> AvailableAsync(AdvisorClient advisor) =>
        Eventually.WaitAsync(
            () => Task.FromResult(advisor.Received("StatusChanged").LastOrDefault()),
            s => s.ValueKind == JsonValueKind.Object && s.GetProperty("status").GetString() == "Available",
            Timeout,
            "Alice to be Available");

    private static Task<long> WaitForStateAsync(Slice slice, string state, int count) =>
        Eventually.WaitAsync(
            () => slice.Database.CountAsync($"SELECT count(*) FROM console.contact_facts WHERE disposition IN ({Dispositions(state)})"),
            n => n >= count,
            Timeout,
            $"{count} calls {state}");

    private static string Dispositions(string state) => state switch
    {
        "NoAdvisors" => $"'{Console.Reporting.Dispositions.NoAdvisors}'",
        "Overflow" => $"'{Console.Reporting.Dispositions.Overflow}'",
        _ => $"'{Console.Reporting.Dispositions.Abandoned}', '{Console.Reporting.Dispositions.ShortAbandon}'",
    };

    private static async Task<List<(DateTimeOffset ReceivedAt, string State, bool Short)>> IntakeCallsAsync(Slice slice)
    {
        await using var connection = new NpgsqlConnection(slice.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT received_at, state, short_abandon FROM intake.inbound_calls", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var calls = new List<(DateTimeOffset, string, bool)>();
        while (await reader.ReadAsync())
        {
            calls.Add((reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1), reader.GetBoolean(2)));
        }

        return calls;
    }
}
