using System.Net;
using Helpline.Testing;

namespace Helpline.EndToEnd.Tests;

/// <summary>
/// Runs against a broker of its own (the chaos broker test.sh starts), whose RabbitMQ
/// application the test stops and starts for real.
/// </summary>
[Collection(ChaosBrokerCollection.Name)]
public sealed class BrokerOutageTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Intake_keeps_accepting_while_RabbitMQ_is_down_and_every_call_reaches_the_advisor_after()
    {
        await using var slice = (await Slice.CreateAsync(TestServers.ChaosRabbitMq)).StartConsole().StartIntake();
        var advisors = new[] { await slice.AvailableAdvisorAsync("a1"), await slice.AvailableAdvisorAsync("a2"), await slice.AvailableAdvisorAsync("a3") };
        await Eventually.WaitAsync(() => slice.Intake!.CreateHttpClient().GetAsync("/health/ready"), r => r.StatusCode == HttpStatusCode.OK, Timeout, "Intake ready");

        await RabbitMqCtlAsync("stop_app");
        var contactIds = new List<Guid>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                contactIds.Add(await slice.PostCallAsync($"outage-{Guid.NewGuid():N}"));
            }

            Assert.Equal(3, await slice.Database.CountAsync("SELECT count(*) FROM intake.inbound_calls"));
            Assert.Equal(0, await slice.Database.CountAsync("SELECT count(*) FROM console.contacts"));
        }
        finally
        {
            await RabbitMqCtlAsync("start_app");
        }

        foreach (var contactId in contactIds)
        {
            await Eventually.WaitAsync(
                () => Task.FromResult(advisors.Sum(a => a.OffersFor(contactId))),
                offers => offers == 1, Timeout, $"contact {contactId} offered to one advisor");
        }

        foreach (var advisor in advisors)
        {
            await advisor.DisposeAsync();
        }

        Assert.Equal(3, await slice.Database.CountAsync("SELECT count(*) FROM console.contacts"));
        Assert.Equal(0, await slice.Database.CountAsync("SELECT count(*) FROM intake.outbox_messages WHERE sent_at IS NULL"));
    }

    /// <summary>rabbitmqctl against the chaos broker (stop_app, start_app).</summary>
    internal static async Task RabbitMqCtlAsync(string command)
    {
        var (exitCode, output) = await ToolRunner.RunAsync("bash",
        [
            Path.Combine(TestServers.RepositoryRoot, "deploy", "local", "broker.sh"), "ctl",
            TestServers.Require("HELPLINE_TEST_CHAOS_RABBITMQ_DIR"), TestServers.Require("HELPLINE_TEST_CHAOS_RABBITMQ_PORT"), command,
        ]);
        Assert.True(exitCode == 0, $"rabbitmqctl {command} failed: {output}");
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ChaosBrokerCollection
{
    public const string Name = "chaos broker";
}
