using System.Net.Http.Json;
using System.Text.Json;
using Helpline.Testing;
using Microsoft.AspNetCore.SignalR.Client;

namespace Helpline.EndToEnd.Tests.Deploy;

/// <summary>
/// The Grafana dashboard against a real Prometheus (Debian's, started by deploy/local/test.sh, which
/// scrapes whatever this test lists in its file-discovery folder): after a scenario with calls
/// answered, turned away and abandoned, every expression of deploy/grafana/dashboards returns data.
/// It runs alone: every host in this process names its meters alike, and OpenTelemetry stops exporting
/// a metric for all of them when any one host's meter is disposed
/// (open-telemetry/opentelemetry-dotnet#6412), so another test's slice ending mid-scenario would empty it.
/// </summary>
[Collection(MetricsCollection.Name)]
public sealed class DashboardPrometheusTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Every_dashboard_expression_returns_data_from_a_real_Prometheus_after_a_scenario()
    {
        await using var slice = (await Slice.CreateAsync(settings: new Dictionary<string, string?> { ["Calls:ShortAbandonThreshold"] = "00:00:01" })).StartConsole().StartIntake();
        using var intake = await slice.Intake!.CreateIntegrationClientAsync();
        using var prometheus = new HttpClient { BaseAddress = new Uri(TestServers.Require("HELPLINE_TEST_PROMETHEUS")) };
        var targets = Path.Combine(TestServers.Require("HELPLINE_TEST_PROMETHEUS_TARGETS"), $"{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(targets, JsonSerializer.Serialize(new[] { new { targets = new[] { slice.Intake!.Address.Authority, slice.Console!.Address.Authority } } }));
        try
        {
            await Eventually.WaitAsync(() => QueryAsync(prometheus, "sum(up)"), r => r.GetArrayLength() > 0 && Value(r[0]) == 2, Timeout, "Prometheus to scrape both services");

            // Nobody signed in: turned away (no advisors).
            await slice.PostCallAsync($"prom-{Guid.NewGuid():N}");
            await using var advisor = await slice.AvailableAdvisorAsync("alice");

            // Answered, and while Alice is on it one caller gives up at once (a short abandon), another after a while.
            var (answeredId, answered) = await AnswerAsync(slice, advisor);
            var shortId = $"prom-{Guid.NewGuid():N}";
            await slice.PostCallAsync(shortId);
            (await intake.PostAsJsonAsync($"/api/calls/{shortId}/hangup", new { })).EnsureSuccessStatusCode();
            var patientId = $"prom-{Guid.NewGuid():N}";
            (await intake.PostAsJsonAsync("/api/calls", new { providerCallId = patientId, callerNumber = (string?)null, dialledNumber = "+448088020300", receivedAt = DateTimeOffset.UtcNow.AddSeconds(-5) })).EnsureSuccessStatusCode();
            (await intake.PostAsJsonAsync($"/api/calls/{patientId}/hangup", new { })).EnsureSuccessStatusCode();
            await EndAnsweredAsync(intake, answeredId);
            await advisor.WaitForAsync("StatusChanged", s => s.GetProperty("status").GetString() == "WrapUp", Timeout);
            await advisor.Connection.InvokeAsync("EndWrapUp");
            await Eventually.WaitAsync(
                () => Task.FromResult(advisor.Received("StatusChanged").LastOrDefault()),
                s => s.ValueKind == JsonValueKind.Object && s.GetProperty("status").GetString() == "Available",
                Timeout,
                "Alice to be Available again");

            // Both services run in this test process, so each one's /metrics shows the other's meters too: waits take the max.
            // A series counts from its first scrape: a second answered call after it gives increase() and rate() something to see.
            await Eventually.WaitAsync(() => QueryAsync(prometheus, "max(helpline_contacts_wait_seconds_count{outcome=\"answered\"})"), r => r.GetArrayLength() > 0 && Value(r[0]) >= 1, Timeout, "the first answered call's wait in Prometheus");
            var (secondId, _) = await AnswerAsync(slice, advisor);
            await EndAnsweredAsync(intake, secondId);
            await Eventually.WaitAsync(() => QueryAsync(prometheus, "max(helpline_contacts_wait_seconds_count{outcome=\"answered\"})"), r => r.GetArrayLength() > 0 && Value(r[0]) >= 2, Timeout, "the second answered call's wait in Prometheus");
            await Eventually.WaitAsync(() => QueryAsync(prometheus, "max(sum by (instance) (helpline_contacts_unanswered_total))"), r => r.GetArrayLength() > 0 && Value(r[0]) >= 3, Timeout, "the unanswered calls in Prometheus");

            var empty = new List<string>();
            foreach (var (panel, expression) in GrafanaDashboard.Expressions())
            {
                // Each scrape brings the rates and increases closer; an expression has a few seconds to show data.
                try
                {
                    await Eventually.WaitAsync(
                        () => QueryAsync(prometheus, expression),
                        result => result.GetArrayLength() > 0 && result.EnumerateArray().Any(r => !double.IsNaN(Value(r))),
                        TimeSpan.FromSeconds(15),
                        expression);
                }
                catch (TimeoutException)
                {
                    empty.Add($"{panel}: {expression}");
                }
            }

            Assert.True(empty.Count == 0, "no data for:\n" + string.Join("\n", empty));
            var reasons = await QueryAsync(prometheus, "sum by (reason) (helpline_contacts_unanswered_total)");
            Assert.Equal(
                ["abandoned", "no_advisors", "short_abandon"],
                reasons.EnumerateArray().Select(r => r.GetProperty("metric").GetProperty("reason").GetString()).Order(StringComparer.Ordinal));

            // The same scrapes pass promtool and carry no caller data (numbers, contact ids, names).
            foreach (var service in new[] { slice.Intake.Address, slice.Console.Address })
            {
                using var client = new HttpClient { BaseAddress = service };
                var scrape = await client.GetStringAsync("/metrics");
                var (exitCode, output) = await ToolRunner.RunAsync("promtool", ["check", "metrics"], scrape);

                Assert.True(exitCode == 0, $"promtool rejected {service}/metrics:\n{output}");
                Assert.DoesNotContain("7700900123", scrape, StringComparison.Ordinal);
                Assert.DoesNotContain(answered.ToString(), scrape, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(patientId, scrape, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("alice", scrape, StringComparison.OrdinalIgnoreCase);
            }
        }
        finally
        {
            File.Delete(targets);
        }
    }

    /// <summary>A call rings at the advisor, who accepts it; the simulated provider connects it.</summary>
    private static async Task<(string ProviderCallId, Guid ContactId)> AnswerAsync(Slice slice, AdvisorClient advisor)
    {
        var providerCallId = $"prom-{Guid.NewGuid():N}";
        var contactId = await slice.PostCallAsync(providerCallId);
        var offer = await advisor.WaitForOfferAsync(contactId, Timeout);
        await advisor.Connection.InvokeAsync("AcceptOffer", offer.GetProperty("offerId").GetInt64());
        await advisor.WaitForAsync("ContactAssigned", a => a.GetProperty("contactId").GetGuid() == contactId, Timeout);
        return (providerCallId, contactId);
    }

    /// <summary>The caller of an answered call hangs up, once the phone network has connected it.</summary>
    private static async Task EndAnsweredAsync(HttpClient intake, string providerCallId) =>
        await Eventually.WaitAsync(
            async () => (await intake.PostAsJsonAsync($"/api/calls/{providerCallId}/ended", new { endedBy = "Caller" })).IsSuccessStatusCode,
            ok => ok,
            Timeout,
            "the answered call to end");

    private static async Task<JsonElement> QueryAsync(HttpClient prometheus, string expression)
    {
        var response = await prometheus.GetFromJsonAsync<JsonElement>($"/api/v1/query?query={Uri.EscapeDataString(expression)}");
        return response.GetProperty("data").GetProperty("result");
    }

    private static double Value(JsonElement sample) =>
        double.Parse(sample.GetProperty("value")[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Tests that read this process's meters through a scrape: no other host starts or stops meanwhile.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "metrics";
}
