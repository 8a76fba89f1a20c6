using System.Net;
using Helpline.Testing;

namespace Helpline.EndToEnd.Tests;

public sealed class MetricsTests
{
    [Fact]
    public async Task Both_services_expose_metrics_that_promtool_accepts_and_that_carry_no_caller_data()
    {
        await using var slice = (await Slice.CreateAsync()).StartConsole().StartIntake();
        await using var advisor = await slice.AvailableAdvisorAsync("alice");
        var contactId = await slice.PostCallAsync($"metrics-{Guid.NewGuid():N}");
        await advisor.WaitForOfferAsync(contactId, TimeSpan.FromSeconds(30));

        foreach (var service in new[] { slice.Intake!.Address, slice.Console!.Address })
        {
            using var client = new HttpClient { BaseAddress = service };
            var scrape = await Eventually.WaitAsync(
                () => client.GetStringAsync("/metrics"),
                text => text.Contains("helpline_", StringComparison.Ordinal), TimeSpan.FromSeconds(30), $"helpline metrics at {service}");

            var (exitCode, output) = await ToolRunner.RunAsync("promtool", ["check", "metrics"], scrape);

            Assert.True(exitCode == 0, $"promtool rejected {service}/metrics:\n{output}");
            Assert.DoesNotContain("7700900123", scrape, StringComparison.Ordinal);
        }

        using var intake = slice.Intake.CreateHttpClient();
        var intakeMetrics = await intake.GetStringAsync("/metrics");
        Assert.Contains("helpline_intake_calls_received", intakeMetrics, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await intake.GetAsync("/openapi/v1.json")).StatusCode);
    }
}
