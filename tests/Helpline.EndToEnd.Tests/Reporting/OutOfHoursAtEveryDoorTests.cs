using System.Net.Http.Json;
using System.Text.Json;
using Helpline.Testing;

namespace Helpline.EndToEnd.Tests.Reporting;

/// <summary>
/// A call announced on the provider-neutral API is judged against the opening hours as a Twilio call is
/// (Intake's CallStore decides for every door): one after Friday's closing and one on a closed Saturday
/// are recorded OutOfHours, never queued, and the report counts them out of hours; one in Friday's hours
/// is queued (and turned away, nobody being signed in).
/// </summary>
public sealed class OutOfHoursAtEveryDoorTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_call_through_the_API_outside_opening_hours_is_counted_out_of_hours()
    {
        await using var slice = (await Slice.CreateAsync(settings: new Dictionary<string, string?>
        {
            ["OpeningHours:Friday"] = "09:30-16:00",
            ["OpeningHours:Saturday"] = "",
        })).StartConsole().StartIntake();
        using var intake = await slice.Intake!.CreateIntegrationClientAsync("calls");

        var inHours = await PostAsync(intake, "2026-11-27T10:00:00Z");
        var afterClosing = await PostAsync(intake, "2026-11-27T17:00:00Z");
        var saturday = await PostAsync(intake, "2026-11-28T12:00:00Z");

        await WaitForIntakeStateAsync(slice, inHours, "NoAdvisors");
        await WaitForIntakeStateAsync(slice, afterClosing, "OutOfHours");
        await WaitForIntakeStateAsync(slice, saturday, "OutOfHours");

        using var supervisor = await TestAccounts.ClientAsync(slice.Console!.Address, await TestAccounts.EnsureUserAsync(slice.Console.Address, "sam", "Supervisor"));
        var report = await Eventually.WaitAsync(
            () => supervisor.GetFromJsonAsync<JsonElement>("/api/reports/intervals?from=2026-11-27&to=2026-11-28&interval=day"),
            r => r.GetProperty("totals").GetProperty("calls").GetProperty("received").GetInt64() == 3
                && r.GetProperty("totals").GetProperty("calls").GetProperty("unanswered").GetProperty("total").GetInt64() == 3,
            Timeout,
            "the three calls in the report");
        var days = report.GetProperty("intervals").EnumerateArray().Select(d => d.GetProperty("calls")).ToList();
        Assert.Equal([1, 0], days.Select(d => d.GetProperty("inHours").GetInt64()));
        Assert.Equal([1, 1], days.Select(d => d.GetProperty("outOfHours").GetInt64()));
        Assert.Equal([1, 1], days.Select(d => d.GetProperty("unanswered").GetProperty("outOfHours").GetInt64()));
        Assert.Equal([1, 0], days.Select(d => d.GetProperty("unanswered").GetProperty("noAdvisors").GetInt64()));
        Assert.Equal([1, 0], days.Select(d => d.GetProperty("offered").GetInt64()));
    }

    private static async Task<string> PostAsync(HttpClient intake, string receivedAt)
    {
        var providerCallId = $"door-{Guid.NewGuid():N}";
        var response = await intake.PostAsJsonAsync("/api/calls", new { providerCallId, callerNumber = "+447700900123", dialledNumber = "+448088020300", receivedAt });
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        return providerCallId;
    }

    private static Task<long> WaitForIntakeStateAsync(Slice slice, string providerCallId, string expected) =>
        Eventually.WaitAsync(
            () => slice.Database.CountAsync($"SELECT count(*) FROM intake.inbound_calls WHERE provider_call_id = '{providerCallId}' AND state = '{expected}'"),
            n => n == 1,
            Timeout,
            $"{providerCallId} to be {expected}");
}
