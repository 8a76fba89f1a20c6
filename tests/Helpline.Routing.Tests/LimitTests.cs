using Helpline.Contracts;
using Helpline.Routing;

namespace Helpline.Routing.Tests;

public sealed class LimitTests
{
    private static readonly RoutingOptions Limited = new()
    {
        CallLimits = new ChannelLimits { MaxQueueLength = 2, MaxWait = TimeSpan.FromMinutes(5) },
    };

    [Fact]
    public void Arrival_at_a_full_queue_overflows_and_is_not_queued()
    {
        var desk = new Desk(Limited);
        desk.Answer(desk.Advisor(), desk.Call());
        desk.Call();
        desk.Call();

        var decisions = desk.Apply(new ContactArrived(desk.NewId(), ContactChannel.Call, ContactPriority.Urgent));

        var ended = Assert.IsType<ContactEnded>(Assert.Single(decisions));
        Assert.Equal((ContactOutcome.Overflow, OverflowReason.QueueFull), (ended.Outcome, ended.Overflow));
        Assert.Equal(2, desk.State.CountWaiting(ContactChannel.Call));
    }

    [Fact]
    public void Ringing_contacts_do_not_count_towards_the_queue_length()
    {
        var desk = new Desk(Limited);
        desk.Advisor();
        desk.Advisor();
        desk.Call();
        desk.Call();

        desk.Call();
        desk.Call();

        Assert.Equal(2, desk.State.CountWaiting(ContactChannel.Call));
    }

    [Fact]
    public void Contact_waiting_longer_than_the_max_wait_overflows()
    {
        var desk = new Desk(Limited);
        desk.Answer(desk.Advisor(), desk.Call());
        var call = desk.Call();
        Assert.Equal(desk.Now.AddMinutes(5), desk.State.NextDueAt);

        var decisions = desk.Advance(TimeSpan.FromMinutes(5));

        var ended = decisions.Single<ContactEnded>();
        Assert.Equal((call, ContactOutcome.Overflow, OverflowReason.MaxWaitReached), (ended.ContactId, ended.Outcome, ended.Overflow));
        Assert.Equal(TimeSpan.FromMinutes(5), ended.WaitTime);
    }

    [Fact]
    public void Max_wait_does_not_interrupt_a_ringing_offer_but_applies_when_it_returns()
    {
        var desk = new Desk(Limited);
        var advisor = desk.Advisor();
        var other = desk.Advisor();
        desk.Answer(advisor, desk.Call());
        desk.Answer(other, desk.Call());
        var call = desk.Call();
        desk.Advance(TimeSpan.FromMinutes(4) + TimeSpan.FromSeconds(50));
        desk.Apply(new ContactCompleted(desk.AdvisorFact(advisor).CurrentCall!.Value));
        desk.Apply(new WrapUpEnded(advisor));
        Assert.Equal(call, desk.OfferAt(advisor)?.ContactId);

        Assert.Empty(desk.AdvanceSeconds(10).OfType<ContactEnded>());
        var decisions = desk.Decline(advisor);

        Assert.Equal(ContactOutcome.Overflow, decisions.Single<ContactEnded>().Outcome);
        Assert.DoesNotContain(decisions, d => d is OfferMade);
    }

    [Fact]
    public void Max_wait_counts_from_the_received_time()
    {
        var desk = new Desk(Limited);
        desk.Answer(desk.Advisor(), desk.Call());

        var decisions = desk.Apply(new ContactArrived(desk.NewId(), ContactChannel.Call) { ReceivedAt = desk.Now.AddMinutes(-6) });

        Assert.IsType<ContactQueued>(decisions[0]);
        Assert.Equal(OverflowReason.MaxWaitReached, decisions.Single<ContactEnded>().Overflow);
    }

    [Fact]
    public void Limits_apply_per_channel()
    {
        var desk = new Desk(Limited);
        desk.Answer(desk.Advisor(), desk.Call());

        for (var i = 0; i < 5; i++)
        {
            desk.Email();
        }

        desk.Advance(TimeSpan.FromHours(1));
        Assert.Equal(5, desk.State.CountWaiting(ContactChannel.Email));
    }
}
