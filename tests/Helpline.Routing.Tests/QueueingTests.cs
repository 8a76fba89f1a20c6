using Helpline.Contracts;
using Helpline.Routing;

namespace Helpline.Routing.Tests;

public sealed class QueueingTests
{
    [Fact]
    public void Call_with_nobody_signed_in_for_calls_ends_NoAdvisors_at_once()
    {
        var desk = new Desk();
        desk.Advisor(Skills.Emails);
        desk.Advisor(Skills.Calls, signIn: false);

        var decisions = desk.Apply(new ContactArrived(desk.NewId(), ContactChannel.Call));

        var ended = Assert.IsType<ContactEnded>(Assert.Single(decisions));
        Assert.Equal(ContactOutcome.NoAdvisors, ended.Outcome);
        Assert.Equal(TimeSpan.Zero, ended.WaitTime);
        Assert.Equal(ContactState.Ended, desk.State.StateOf(ended.ContactId));
        Assert.Equal(0, desk.State.CountWaiting(ContactChannel.Call));
    }

    [Fact]
    public void Call_queues_when_the_call_advisors_are_signed_in_but_on_break()
    {
        var desk = new Desk();
        var advisor = desk.Advisor();
        desk.Apply(new AdvisorStatusRequested(advisor, AdvisorStatus.Break, "lunch"));

        var call = desk.Call();

        Assert.Equal(ContactState.Waiting, desk.State.StateOf(call));
        Assert.Equal(1, desk.State.CountWaiting(ContactChannel.Call));
    }

    [Fact]
    public void Email_with_nobody_signed_in_waits_in_the_queue()
    {
        var desk = new Desk();

        var email = desk.Email();

        Assert.Equal(ContactState.Waiting, desk.State.StateOf(email));
    }

    [Fact]
    public void Call_is_offered_at_once_to_an_available_advisor_who_starts_ringing()
    {
        var desk = new Desk();
        var advisor = desk.Advisor();

        var decisions = desk.Apply(new ContactArrived(desk.NewId(), ContactChannel.Call));

        Assert.IsType<ContactQueued>(decisions[0]);
        var offer = Assert.IsType<OfferMade>(decisions[1]);
        Assert.Equal(advisor, offer.AdvisorId);
        Assert.Equal(desk.Now + TimeSpan.FromSeconds(20), offer.ExpiresAt);
        Assert.Equal(new AdvisorStatusChanged(advisor, AdvisorStatus.Offered, null, desk.Now), decisions[2]);
        Assert.Equal(AdvisorStatus.Offered, desk.StatusOf(advisor));
    }

    [Fact]
    public void Calls_are_offered_before_emails_that_waited_longer()
    {
        var desk = new Desk();
        desk.Apply(new AdvisorStatusRequested(desk.Advisor(), AdvisorStatus.Break, "lunch"));
        var email = desk.Email();
        desk.AdvanceSeconds(60);
        var call = desk.Call();

        var advisor = desk.Advisor(Skills.CallsAndEmails);

        Assert.Equal(call, desk.OfferAt(advisor)?.ContactId);
        Assert.Equal(ContactState.Waiting, desk.State.StateOf(email));
    }

    [Fact]
    public void Higher_priority_is_offered_first_then_the_longest_waiting()
    {
        var desk = new Desk();
        var busy = desk.Advisor();
        desk.Answer(busy, desk.Call());
        var first = desk.Call();
        desk.AdvanceSeconds(1);
        var second = desk.Call();
        desk.AdvanceSeconds(1);
        var highRisk = desk.Call(ContactPriority.HighRisk);
        desk.AdvanceSeconds(1);
        var urgent = desk.Call(ContactPriority.Urgent);

        var offeredInOrder = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            var advisor = desk.Advisor();
            offeredInOrder.Add(desk.OfferAt(advisor)!.ContactId);
        }

        Assert.Equal([urgent, highRisk, first, second], offeredInOrder);
    }

    [Fact]
    public void Entry_time_is_the_received_time_when_the_contact_waited_before_routing()
    {
        var desk = new Desk();
        var advisor = desk.Advisor();
        var call = desk.NewId();

        desk.Apply(new ContactArrived(call, ContactChannel.Call) { ReceivedAt = desk.Now - TimeSpan.FromSeconds(40) });
        desk.AdvanceSeconds(5);
        var assigned = desk.Accept(advisor).Single<ContactAssigned>();

        Assert.Equal(TimeSpan.FromSeconds(45), assigned.WaitTime);
    }

    [Fact]
    public void Received_time_in_the_future_is_taken_as_now()
    {
        var desk = new Desk();
        var email = desk.NewId();

        var queued = desk.Apply(new ContactArrived(email, ContactChannel.Email) { ReceivedAt = desk.Now.AddMinutes(5) }).Single<ContactQueued>();

        Assert.Equal(desk.Now, queued.EnteredAt);
    }

    [Fact]
    public void Duplicate_arrival_is_rejected_and_changes_nothing()
    {
        var desk = new Desk();
        var email = desk.Email();
        var before = Invariants.Describe(desk.State.ToSnapshot());

        var rejected = desk.Apply(new ContactArrived(email, ContactChannel.Email)).Rejection();

        Assert.Equal(RejectionCode.DuplicateContact, rejected.Code);
        Assert.Equal(before, Invariants.Describe(desk.State.ToSnapshot()));
    }

    [Fact]
    public void Arrival_of_a_contact_that_already_ended_is_rejected()
    {
        var desk = new Desk();
        var call = desk.Call();
        Assert.Equal(ContactOutcome.NoAdvisors, desk.State.OutcomeOf(call));

        var rejected = desk.Apply(new ContactArrived(call, ContactChannel.Call)).Rejection();

        Assert.Equal(RejectionCode.ContactAlreadyEnded, rejected.Code);
    }

    [Fact]
    public void Arrival_on_an_unknown_channel_is_rejected()
    {
        var desk = new Desk();

        var rejected = desk.Apply(new ContactArrived(desk.NewId(), (ContactChannel)7)).Rejection();

        Assert.Equal(RejectionCode.InvalidChannel, rejected.Code);
    }

    [Fact]
    public void Contact_keeps_its_original_entry_time_through_declines_and_timeouts()
    {
        var desk = new Desk();
        var advisor = desk.Advisor();
        var call = desk.Call();
        var enteredAt = desk.Now;

        desk.Decline(advisor);
        desk.AdvanceSeconds(20);

        var position = desk.State.PositionOf(call, desk.Now)!;
        Assert.Equal(enteredAt, position.EnteredAt);
        Assert.Equal(TimeSpan.FromSeconds(20), position.Waited);
    }
}
