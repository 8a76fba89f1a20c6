using Helpline.Contracts;
using Helpline.Testing;
using Microsoft.AspNetCore.SignalR.Client;

namespace Helpline.Console.Tests.RouterHosting;

/// <summary>What Console tells Intake about calls, and what it keeps of Intake's news.</summary>
public sealed class IntakeMessagesTests
{
    private static readonly TimeSpan Timeout = ConsoleRig.Timeout;

    [Fact]
    public async Task Advisor_completing_a_call_in_the_console_tells_Intake_to_end_it()
    {
        await using var rig = await ConsoleRig.StartAsync();
        await using var endCalls = await MessageProbe.CreateAsync(rig.VirtualHost.ConnectionString, typeof(EndCall));
        var alice = await rig.AvailableAdvisorAsync("alice");
        var contactId = await rig.CallAsync();
        var offer = await alice.WaitForOfferAsync(contactId, Timeout);
        await alice.Connection.InvokeAsync("AcceptOffer", offer.GetProperty("offerId").GetInt64());
        await alice.WaitForAsync("ContactAssigned", a => a.GetProperty("contactId").GetGuid() == contactId, Timeout);
        Assert.Equal(0, endCalls.CountWhere("contactId", contactId.ToString()));

        await alice.Connection.InvokeAsync("CompleteContact", contactId);

        await Eventually.WaitAsync(() => Task.FromResult(endCalls.CountWhere("contactId", contactId.ToString())), n => n == 1, Timeout, "EndCall for the completed call");
        Assert.Equal(1, await rig.Database.CountAsync($"SELECT count(*) FROM console.contacts WHERE id = '{contactId}' AND status = 'Completed'"));
    }

    [Fact]
    public async Task A_callback_request_is_kept_once_on_the_contact_however_often_it_is_delivered()
    {
        await using var rig = await ConsoleRig.StartAsync();
        var contactId = await rig.CallAsync();
        var request = new CallbackRequested { ContactId = contactId, RequestedAt = DateTimeOffset.UtcNow };

        await rig.PublishAsync(request);
        await rig.PublishAsync(request);
        await rig.PublishAsync(new CallbackRequested { ContactId = contactId, RequestedAt = DateTimeOffset.UtcNow });
        await Eventually.WaitAsync(() => rig.CounterAsync("helpline_console_callback_requests_total"), n => n == 3, Timeout, "all three deliveries handled");

        Assert.Equal(1, await rig.ContactEventsAsync(contactId, "CallbackRequested"));
    }

    [Fact]
    public async Task A_redelivered_CallConnected_appends_no_second_Answered_event()
    {
        await using var rig = await ConsoleRig.StartAsync();
        var contactId = await rig.CallAsync();
        var connected = new CallConnected { ContactId = contactId, AdvisorId = Guid.NewGuid(), At = DateTimeOffset.UtcNow };

        await rig.PublishAsync(connected);
        await rig.PublishAsync(connected);
        await Eventually.WaitAsync(() => rig.CounterAsync("helpline_console_calls_connected_total"), n => n == 2, Timeout, "both deliveries handled");

        Assert.Equal(1, await rig.ContactEventsAsync(contactId, "Answered"));
    }
}
