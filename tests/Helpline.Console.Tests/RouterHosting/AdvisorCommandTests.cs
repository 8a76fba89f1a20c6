using System.Net.Http.Json;
using System.Text.Json;
using Helpline.Console.RouterHosting;
using Helpline.Testing;
using MassTransit;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.Console.Tests.RouterHosting;

/// <summary>Advisors' commands are a closed set: what Console does not know as a command does nothing.</summary>
public sealed class AdvisorCommandTests
{
    private static readonly TimeSpan Timeout = ConsoleRig.Timeout;

    [Fact]
    public async Task A_command_of_a_kind_Console_does_not_know_completes_no_contact()
    {
        await using var rig = await ConsoleRig.StartAsync();
        var alice = await rig.AvailableAdvisorAsync("alice");
        using var client = await TestAccounts.ClientAsync(rig.Console.Address, await TestAccounts.LoginAsync(rig.Console.Address, "alice"));
        var aliceId = (await client.GetFromJsonAsync<JsonElement>("/api/account/me")).GetProperty("userId").GetGuid();
        var contactId = await rig.CallAsync();
        var offer = await alice.WaitForOfferAsync(contactId, Timeout);
        await alice.Connection.InvokeAsync("AcceptOffer", offer.GetProperty("offerId").GetInt64());
        await alice.WaitForAsync("ContactAssigned", a => a.GetProperty("contactId").GetGuid() == contactId, Timeout);

        var routing = await rig.Console.Services.GetRequiredService<IBus>().GetSendEndpoint(RoutingSettings.Address);
        await routing.Send(new ForgedCommandRequest
        {
            Command = new Dictionary<string, object> { ["$type"] = "Finish", ["advisorId"] = aliceId, ["contactId"] = contactId },
        });

        await Eventually.WaitAsync(() => rig.VirtualHost.QueueDepthAsync("routing_error"), n => n >= 1, Timeout, "the unknown command refused to the error queue");
        Assert.Equal(1, await rig.Database.CountAsync($"SELECT count(*) FROM console.contacts WHERE id = '{contactId}' AND status = 'Assigned'"));
        Assert.Equal(0, await rig.ContactEventsAsync(contactId, "Ended"));
    }

    [Fact]
    public void Every_kind_of_command_reads_back_as_itself()
    {
        var advisorId = Guid.NewGuid();
        AdvisorCommand[] commands =
        [
            new AdvisorCommand.SetStatus(advisorId, Helpline.Routing.AdvisorStatus.Break, "lunch"),
            new AdvisorCommand.AcceptOffer(advisorId, 7),
            new AdvisorCommand.DeclineOffer(advisorId, 8),
            new AdvisorCommand.ExtendWrapUp(advisorId),
            new AdvisorCommand.EndWrapUp(advisorId),
            new AdvisorCommand.CompleteContact(advisorId, Guid.NewGuid()),
            new AdvisorCommand.ReloadProfile(advisorId),
        ];
        var web = new JsonSerializerOptions(JsonSerializerDefaults.Web);

        foreach (var command in commands)
        {
            var json = JsonSerializer.Serialize(new AdvisorCommandRequest { Command = command }, web);
            Assert.Equal(command, JsonSerializer.Deserialize<AdvisorCommandRequest>(json, web)!.Command);
        }
    }

    /// <summary>An <see cref="AdvisorCommandRequest"/> as another program could send it, with any command in it.</summary>
    [MessageUrn("Helpline.Console.RouterHosting:AdvisorCommandRequest")]
    private sealed record ForgedCommandRequest
    {
        public required Dictionary<string, object> Command { get; init; }
    }
}
