using HubException = Microsoft.AspNetCore.SignalR.HubException;

namespace Helpline.Console.Tests.Advisors;

public sealed class AdvisorHubTests
{
    private static readonly TimeSpan Timeout = ConsoleRig.Timeout;

    private static long OfferId(JsonElement offer) => offer.GetProperty("offerId").GetInt64();

    [Fact]
    public async Task Call_rings_one_available_advisor_who_accepts_completes_and_wraps_up_back_to_available()
    {
        await using var rig = await ConsoleRig.StartAsync();
        var advisor = await rig.AvailableAdvisorAsync("alice");

        var contactId = await rig.CallAsync();
        var offer = await advisor.WaitForOfferAsync(contactId, Timeout);
        Assert.Equal("Call", offer.GetProperty("channel").GetString());
        Assert.True(offer.GetProperty("expiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow);

        await advisor.Connection.InvokeAsync("AcceptOffer", OfferId(offer));
        await advisor.WaitForAsync("ContactAssigned", a => a.GetProperty("contactId").GetGuid() == contactId, Timeout);
        await advisor.WaitForAsync("StatusChanged", s => s.GetProperty("status").GetString() == "OnContact", Timeout);

        await advisor.Connection.InvokeAsync("CompleteContact", contactId);
        await advisor.WaitForAsync("WrapUpScheduled", _ => true, Timeout);
        await advisor.WaitForAsync("StatusChanged", s => s.GetProperty("status").GetString() == "WrapUp", Timeout);

        var availableBefore = advisor.Received("StatusChanged").Count();
        await advisor.Connection.InvokeAsync("EndWrapUp");
        await advisor.WaitForAsync("StatusChanged", s => s.GetProperty("status").GetString() == "Available", Timeout, skip: availableBefore);

        foreach (var type in new[] { "Received", "Queued", "Offered", "Assigned", "Ended" })
        {
            Assert.True(await rig.ContactEventsAsync(contactId, type) == 1, $"one {type} event");
        }

        Assert.Equal(1, await rig.Database.CountAsync($"SELECT count(*) FROM console.contacts WHERE id = '{contactId}' AND status = 'Completed'"));
        Assert.Equal(1, await rig.Database.CountAsync("SELECT count(*) FROM console.advisor_events WHERE status = 'WrapUp'"));
        Assert.True(await rig.Database.CountAsync("SELECT count(*) FROM console.advisor_events WHERE status = 'Available'") >= 2);
    }

    [Fact]
    public async Task Declined_call_keeps_its_place_and_rings_the_next_advisor()
    {
        await using var rig = await ConsoleRig.StartAsync();
        var first = await rig.AvailableAdvisorAsync("first");
        var second = await rig.AvailableAdvisorAsync("second");

        var contactId = await rig.CallAsync();
        var offer = await first.WaitForOfferAsync(contactId, Timeout);
        Assert.Equal(0, second.OffersFor(contactId));
        await first.Connection.InvokeAsync("DeclineOffer", OfferId(offer));

        await second.WaitForOfferAsync(contactId, Timeout);
        await first.WaitForAsync("OfferWithdrawn", w => w.GetProperty("reason").GetString() == "Declined", Timeout);
        Assert.Equal(1, await rig.ContactEventsAsync(contactId, "OfferDeclined"));
        Assert.Equal(1, first.OffersFor(contactId));
    }

    [Fact]
    public async Task Offer_times_out_and_the_call_goes_to_the_next_advisor()
    {
        await using var rig = await ConsoleRig.StartAsync(new Dictionary<string, string?> { ["Routing:OfferTimeout"] = "00:00:02" });
        var sleepy = await rig.AvailableAdvisorAsync("sleepy");
        var awake = await rig.AvailableAdvisorAsync("awake");

        var contactId = await rig.CallAsync();
        var missed = await sleepy.WaitForOfferAsync(contactId, Timeout);

        await awake.WaitForOfferAsync(contactId, Timeout);
        await sleepy.WaitForAsync("OfferWithdrawn", w => w.GetProperty("reason").GetString() == "TimedOut", Timeout);
        var late = await Assert.ThrowsAsync<HubException>(() => sleepy.Connection.InvokeAsync("AcceptOffer", OfferId(missed)));
        Assert.Contains("Offer", late.Message, StringComparison.Ordinal);
        // The awake advisor's offer may time out too on a slow machine: count the missed offer's alone.
        Assert.Equal(1, await rig.Database.CountAsync(
            $"SELECT count(*) FROM console.contact_events WHERE contact_id = '{contactId}' AND type = 'OfferTimedOut' AND offer_id = {OfferId(missed)}"));
    }

    [Fact]
    public async Task Bad_commands_are_refused_with_a_clear_error_and_change_nothing()
    {
        await using var rig = await ConsoleRig.StartAsync();
        var alice = await rig.AvailableAdvisorAsync("alice");
        var bob = await AdvisorClient.ConnectAsync(rig.Console.Address, "bob");
        var contactId = await rig.CallAsync();
        var offer = await alice.WaitForOfferAsync(contactId, Timeout);
        var eventsBefore = await rig.Database.CountAsync("SELECT count(*) FROM console.contact_events");
        var statusesBefore = await rig.Database.CountAsync("SELECT count(*) FROM console.advisor_events");

        var refusals = new (AdvisorClient Who, string Method, object?[] Args, string Code)[]
        {
            (alice, "AcceptOffer", [987654L], "UnknownOffer"),
            (bob, "AcceptOffer", [OfferId(offer)], "OfferBelongsToAnotherAdvisor"),
            (bob, "DeclineOffer", [OfferId(offer)], "OfferBelongsToAnotherAdvisor"),
            (alice, "SetStatus", ["OnContact", null], "InvalidStatus"),
            (alice, "SetStatus", ["42", null], "InvalidStatus"),
            (alice, "SetStatus", ["", null], "InvalidStatus"),
            (alice, "SetStatus", ["Break", new string('x', 65)], "InvalidReason"),
            (alice, "CompleteContact", [contactId], "ContactNotAssigned"),
            (bob, "CompleteContact", [Guid.NewGuid()], "ContactNotAssigned"),
            (alice, "EndWrapUp", [], "NotInWrapUp"),
        };
        foreach (var (who, method, args, code) in refusals)
        {
            var error = await Assert.ThrowsAsync<HubException>(() => who.Connection.InvokeCoreAsync(method, args));
            Assert.True(error.Message.Contains(code, StringComparison.Ordinal), $"{method} by {who.Name}: {error.Message}");
        }

        var wrongType = await Assert.ThrowsAsync<HubException>(() => alice.Connection.InvokeAsync("AcceptOffer", "not-a-number"));
        Assert.False(string.IsNullOrEmpty(wrongType.Message));
        Assert.Equal(eventsBefore, await rig.Database.CountAsync("SELECT count(*) FROM console.contact_events"));
        Assert.Equal(statusesBefore, await rig.Database.CountAsync("SELECT count(*) FROM console.advisor_events"));

        await alice.Connection.InvokeAsync("AcceptOffer", OfferId(offer));
        await alice.WaitForAsync("ContactAssigned", a => a.GetProperty("contactId").GetGuid() == contactId, Timeout);
        await bob.DisposeAsync();
    }

    [Fact]
    public async Task Redelivered_contact_is_stored_once_and_offered_once()
    {
        await using var rig = await ConsoleRig.StartAsync();
        var advisor = await rig.AvailableAdvisorAsync("alice");
        var message = new ContactReceived
        {
            ContactId = Guid.NewGuid(),
            Channel = ContactChannel.Call,
            ProviderReference = "redelivery-1",
            ReceivedAt = DateTimeOffset.UtcNow,
        };

        await rig.PublishAsync(message);
        await advisor.WaitForOfferAsync(message.ContactId, Timeout);
        await rig.PublishAsync(message);
        var marker = await rig.CallAsync();

        await Eventually.WaitAsync(() => rig.Database.CountAsync($"SELECT count(*) FROM console.contacts WHERE id = '{marker}'"), n => n == 1, Timeout, "the marker call taken in after the redelivery");
        Assert.Equal(1, await rig.Database.CountAsync($"SELECT count(*) FROM console.contacts WHERE id = '{message.ContactId}'"));
        Assert.Equal(1, await rig.ContactEventsAsync(message.ContactId, "Received"));
        Assert.Equal(1, advisor.OffersFor(message.ContactId));
        Assert.True((await advisor.WaitForOfferAsync(message.ContactId, Timeout)).GetProperty("withheld").GetBoolean());
    }

    [Fact]
    public async Task Caller_hanging_up_while_ringing_withdraws_the_offer_and_records_an_abandon()
    {
        await using var rig = await ConsoleRig.StartAsync();
        var advisor = await rig.AvailableAdvisorAsync("alice");
        var contactId = await rig.CallAsync();
        await advisor.WaitForOfferAsync(contactId, Timeout);

        await rig.PublishAsync(new CallerHungUp { ContactId = contactId, At = DateTimeOffset.UtcNow });

        await advisor.WaitForAsync("OfferWithdrawn", w => w.GetProperty("reason").GetString() == "CallerHungUp", Timeout);
        await Eventually.WaitAsync(() => rig.Database.CountAsync($"SELECT count(*) FROM console.contacts WHERE id = '{contactId}' AND status = 'Abandoned'"), n => n == 1, Timeout, "the abandon recorded");
    }

    [Fact]
    public async Task Call_with_nobody_signed_in_ends_as_NoAdvisors_at_once()
    {
        await using var rig = await ConsoleRig.StartAsync();

        var contactId = await rig.CallAsync();

        await Eventually.WaitAsync(() => rig.Database.CountAsync($"SELECT count(*) FROM console.contacts WHERE id = '{contactId}' AND status = 'NoAdvisors'"), n => n == 1, Timeout, "NoAdvisors recorded");
        Assert.Equal(1, await rig.Database.CountAsync($"SELECT count(*) FROM console.outbox_messages WHERE message_type LIKE 'Helpline.Contracts.TurnAwayCall%' AND payload->>'contactId' = '{contactId}'"));
    }

    [Fact]
    public async Task Out_of_hours_call_is_recorded_once_and_never_offered()
    {
        await using var rig = await ConsoleRig.StartAsync();
        var advisor = await rig.AvailableAdvisorAsync("alice");
        var message = new CallNotQueued
        {
            ContactId = Guid.NewGuid(),
            Reason = UnansweredReason.OutOfHours,
            ProviderReference = "night-call",
            ReceivedAt = DateTimeOffset.UtcNow,
        };

        await rig.PublishAsync(message);
        await Eventually.WaitAsync(
            () => rig.Database.CountAsync($"SELECT count(*) FROM console.contacts WHERE id = '{message.ContactId}' AND status = 'OutOfHours' AND ended_at IS NOT NULL"),
            n => n == 1, Timeout, "the out-of-hours call recorded");
        await rig.PublishAsync(message);
        await Eventually.WaitAsync(() => rig.CounterAsync("helpline_console_contacts_redelivered_total"), n => n == 1, Timeout, "the repeat seen and ignored");
        var marker = await rig.CallAsync();

        await advisor.WaitForOfferAsync(marker, Timeout);
        Assert.Equal(1, await rig.Database.CountAsync($"SELECT count(*) FROM console.contacts WHERE id = '{message.ContactId}' AND status = 'OutOfHours' AND ended_at IS NOT NULL"));
        Assert.Equal(1, await rig.Database.CountAsync($"SELECT count(*) FROM console.contact_events WHERE contact_id = '{message.ContactId}' AND type = 'Ended' AND outcome = 'OutOfHours'"));
        Assert.Equal(0, advisor.OffersFor(message.ContactId));
    }

    [Fact]
    public async Task Reconnecting_advisor_is_resynced_with_status_and_the_offer_still_ringing()
    {
        await using var rig = await ConsoleRig.StartAsync();
        var firstTab = await rig.AvailableAdvisorAsync("alice");
        var contactId = await rig.CallAsync();
        var offer = await firstTab.WaitForOfferAsync(contactId, Timeout);

        await using var secondTab = await AdvisorClient.ConnectAsync(rig.Console.Address, "alice");

        var resynced = await secondTab.WaitForOfferAsync(contactId, Timeout);
        Assert.Equal(OfferId(offer), OfferId(resynced));
        await secondTab.WaitForAsync("StatusChanged", s => s.GetProperty("status").GetString() == "Offered", Timeout);
        await secondTab.Connection.InvokeAsync("AcceptOffer", OfferId(resynced));
        await firstTab.WaitForAsync("ContactAssigned", a => a.GetProperty("contactId").GetGuid() == contactId, Timeout);

        await using var reloaded = await AdvisorClient.ConnectAsync(rig.Console.Address, "alice");
        var onCall = await reloaded.WaitForAsync("ContactAssigned", a => a.GetProperty("contactId").GetGuid() == contactId, Timeout);
        Assert.Equal(OfferId(offer), OfferId(onCall));
        await reloaded.Connection.InvokeAsync("CompleteContact", contactId);
        await reloaded.WaitForAsync("WrapUpScheduled", _ => true, Timeout);
    }

    [Fact]
    public async Task Anonymous_connections_are_refused()
    {
        await using var rig = await ConsoleRig.StartAsync();
        using var client = rig.Console.CreateHttpClient();

        var response = await client.PostAsync("/hubs/advisor/negotiate?negotiateVersion=1", null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
