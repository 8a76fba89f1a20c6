using System.Text.Json;
using Helpline.Console.RouterHosting;
using Helpline.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.Console.Tests.RouterHosting;

/// <summary>
/// Advisors' commands are applied by the routing instance's router: in place when the advisor is
/// connected to that instance, through the routing queue from any other, and through the queue too
/// when the routing instance finds its state stale.
/// </summary>
public sealed class AdvisorCommandRoutingTests
{
    private static readonly TimeSpan Timeout = ConsoleRig.Timeout;

    private static long OfferId(JsonElement offer) => offer.GetProperty("offerId").GetInt64();

    [Fact]
    public async Task An_advisor_on_an_instance_that_is_not_routing_is_served_through_the_queue_and_that_instance_does_not_start_routing()
    {
        await using var rig = await ConsoleRig.StartAsync();
        var alice = await rig.AvailableAdvisorAsync("alice");
        await using var other = rig.StartAnotherInstance();
        await using var bob = await AdvisorClient.ConnectAsync(other.Address, "bob");
        await alice.Connection.InvokeAsync("SetStatus", "Break", "lunch");
        await bob.GoAvailableAsync(Timeout);

        var contactId = await rig.CallAsync();
        var offer = await bob.WaitForOfferAsync(contactId, Timeout);
        await bob.Connection.InvokeAsync("AcceptOffer", OfferId(offer));
        await bob.WaitForAsync("ContactAssigned", a => a.GetProperty("contactId").GetGuid() == contactId, Timeout);
        await bob.Connection.InvokeAsync("CompleteContact", contactId);
        await bob.WaitForAsync("StatusChanged", s => s.GetProperty("status").GetString() == "WrapUp", Timeout);

        Assert.True(rig.Console.Services.GetRequiredService<RouterHost>().IsRouting, "the first instance routes");
        Assert.False(other.Services.GetRequiredService<RouterHost>().IsRouting, "the second instance started routing");
        Assert.Equal(1, await rig.ContactEventsAsync(contactId, "Assigned"));
        Assert.Equal(1, await rig.ContactEventsAsync(contactId, "Ended"));
    }

    [Fact]
    public async Task A_command_that_finds_the_routers_state_stale_is_applied_once_through_the_queue()
    {
        await using var rig = await ConsoleRig.StartAsync();
        var alice = await rig.AvailableAdvisorAsync("alice");
        var contactId = await rig.CallAsync();
        var offer = await alice.WaitForOfferAsync(contactId, Timeout);

        // Another instance's transition, as far as this one can tell: a later journal entry.
        Assert.Equal(1, await rig.Database.CountAsync(
            "WITH added AS (INSERT INTO console.router_journal (version, events, at) SELECT max(version) + 1, '[]'::jsonb, now() FROM console.router_journal RETURNING 1) SELECT count(*) FROM added"));
        await alice.Connection.InvokeAsync("AcceptOffer", OfferId(offer));

        await alice.WaitForAsync("ContactAssigned", a => a.GetProperty("contactId").GetGuid() == contactId, Timeout);
        Assert.Equal(1, await rig.ContactEventsAsync(contactId, "Assigned"));
        Assert.True(rig.Console.Services.GetRequiredService<RouterHost>().IsRouting, "the instance routes again after reloading");
    }
}
