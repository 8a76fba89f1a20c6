using Helpline.FaultCampaign;
using Helpline.Intake.Data;
using Helpline.Testing;
using Xunit.Abstractions;

namespace Helpline.EndToEnd.Tests;

/// <summary>
/// The fault campaign's short version (benchmarks/Helpline.FaultCampaign, docs/benchmarks.md): its own scenario
/// code, with Intake and Console as real processes on the chaos broker, calls from a provider that retries every
/// non-2xx, and two faults of a few seconds: Intake killed outright and restarted, RabbitMQ stopped and started.
/// Reconciled from outside: nothing lost, nothing doubled, no dead letter, healthy afterwards.
/// </summary>
[Collection(ChaosBrokerCollection.Name)]
public sealed class FaultCampaignTests(ITestOutputHelper output)
{
    [Fact]
    public async Task An_Intake_kill_and_a_broker_restart_under_traffic_lose_nothing_and_double_nothing()
    {
        await using var slice = await Slice.CreateAsync(TestServers.ChaosRabbitMq);
        var settings = HelplineSettings.AlwaysOpenFor(slice.Database, slice.VirtualHost);
        string key;
        await using (var keyMaker = new ServiceHost<IntakeDbContext>(settings).Start())
        {
            key = await keyMaker.CreateIntegrationKeyAsync("calls");
        }

        var logs = Directory.CreateTempSubdirectory("fault-campaign-").FullName;
        var intakePort = TestServers.FreePort();
        var intake = await ServiceProcess.StartAsync("Intake", settings, Path.Combine(logs, "intake.log"), intakePort);
        using var console = await ServiceProcess.StartAsync("Console", settings, Path.Combine(logs, "console.log"));
        try
        {
            var target = new CampaignTarget(
                intake.Address,
                [console.Address],
                TestAccounts.AdminUserName,
                TestAccounts.Password,
                key,
                slice.Database.ConnectionString,
                slice.Database.ConnectionString,
                async _ => (await slice.VirtualHost.DeadLettersAsync()).ToDictionary(queue => queue.Key, queue => (long)queue.Value));
            var campaign = new Campaign(
                target,
                new CampaignSettings(Rate: 5, Advisors: 6, Patience: TimeSpan.FromSeconds(15), Quiet: TimeSpan.FromSeconds(3), Tail: TimeSpan.FromSeconds(3), Recovery: TimeSpan.FromSeconds(120), Drain: TimeSpan.FromSeconds(60)),
                new TestOutputWriter(output));
            FaultStep[] faults =
            [
                new("SIGKILL of Intake", token => Task.Run(intake.Kill, token), TimeSpan.FromSeconds(1), async _ =>
                {
                    intake.Dispose();
                    intake = await ServiceProcess.StartAsync("Intake", settings, Path.Combine(logs, "intake.log"), intakePort);
                }),
                new("RabbitMQ stopped and started", _ => BrokerOutageTests.RabbitMqCtlAsync("stop_app"), TimeSpan.FromSeconds(3), _ => BrokerOutageTests.RabbitMqCtlAsync("start_app")),
            ];

            var result = await campaign.RunAsync(faults, CancellationToken.None);

            var reconciliation = result.Reconciliation;
            Assert.True(reconciliation.Accepted > 20, $"only {reconciliation.Accepted} calls were accepted");
            Assert.Equal(0, reconciliation.Lost);
            Assert.Equal(0, reconciliation.Doubled);
            Assert.Empty(reconciliation.ErrorQueues);
            Assert.Equal(0, reconciliation.IntakeOutboxDeadLetters + reconciliation.ConsoleOutboxDeadLetters);
            Assert.Empty(reconciliation.Unhealthy);
            Assert.All(result.Faults, fault => Assert.NotNull(fault.Recovered));
        }
        finally
        {
            intake.Dispose();
        }
    }

    /// <summary>The campaign's log lines into the test's output.</summary>
    private sealed class TestOutputWriter(ITestOutputHelper output) : StringWriter(System.Globalization.CultureInfo.InvariantCulture)
    {
        public override void WriteLine(string? value) => output.WriteLine(value ?? "");
    }
}
