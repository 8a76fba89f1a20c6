using Helpline.Contracts;
using Helpline.Routing;

namespace Helpline.Routing.Tests;

public sealed class WrapUpTests
{
    private static (Desk Desk, Guid Advisor, Guid Call) OnACall(RoutingOptions? options = null)
    {
        var desk = new Desk(options);
        var advisor = desk.Advisor();
        var call = desk.Call();
        desk.Answer(advisor, call);
        return (desk, advisor, call);
    }

    [Fact]
    public void Completed_call_puts_the_advisor_in_wrap_up_then_available_when_it_ends()
    {
        var (desk, advisor, call) = OnACall();

        var decisions = desk.Apply(new ContactCompleted(call));

        Assert.Contains(new AdvisorStatusChanged(advisor, AdvisorStatus.WrapUp, null, desk.Now), decisions);
        Assert.Equal(desk.Now.AddSeconds(60), decisions.Single<WrapUpScheduled>().EndsAt);
        Assert.Equal(desk.Now.AddSeconds(60), desk.State.NextDueAt);
        Assert.Empty(desk.AdvanceSeconds(59));
        Assert.Equal([new AdvisorStatusChanged(advisor, AdvisorStatus.Available, null, desk.Now.AddSeconds(1))], desk.AdvanceSeconds(1));
    }

    [Fact]
    public void Wrap_up_can_be_ended_early()
    {
        var (desk, advisor, call) = OnACall();
        desk.Apply(new ContactCompleted(call));
        desk.AdvanceSeconds(10);

        var decisions = desk.Apply(new WrapUpEnded(advisor));

        Assert.Equal([new AdvisorStatusChanged(advisor, AdvisorStatus.Available, null, desk.Now)], decisions);
        Assert.Null(desk.State.NextDueAt);
    }

    [Fact]
    public void Wrap_up_extends_by_the_default_or_by_a_given_duration()
    {
        var (desk, advisor, call) = OnACall();
        desk.Apply(new ContactCompleted(call));
        var endsAt = desk.Now.AddSeconds(60);

        var byDefault = desk.Apply(new WrapUpExtended(advisor)).Single<WrapUpScheduled>();
        var byTwoMinutes = desk.Apply(new WrapUpExtended(advisor, TimeSpan.FromMinutes(2))).Single<WrapUpScheduled>();

        Assert.Equal(endsAt.AddSeconds(30), byDefault.EndsAt);
        Assert.Equal(endsAt.AddSeconds(150), byTwoMinutes.EndsAt);
        Assert.Equal(byTwoMinutes.EndsAt, desk.State.NextDueAt);
        desk.SetNow(endsAt.AddSeconds(149));
        desk.Apply(Tick.Instance);
        Assert.Equal(AdvisorStatus.WrapUp, desk.StatusOf(advisor));
        desk.AdvanceSeconds(1);
        Assert.Equal(AdvisorStatus.Available, desk.StatusOf(advisor));
    }

    [Theory]
    [InlineData(-5)]
    [InlineData(0)]
    [InlineData(8 * 3600 + 1)]
    public void Extending_wrap_up_by_a_duration_out_of_range_is_rejected(int seconds)
    {
        var (desk, advisor, call) = OnACall();
        desk.Apply(new ContactCompleted(call));
        var before = Invariants.Describe(desk.State.ToSnapshot());

        var rejected = desk.Apply(new WrapUpExtended(advisor, TimeSpan.FromSeconds(seconds))).Rejection();

        Assert.Equal(RejectionCode.InvalidDuration, rejected.Code);
        Assert.Equal(before, Invariants.Describe(desk.State.ToSnapshot()));
    }

    [Fact]
    public void Ending_or_extending_wrap_up_outside_wrap_up_is_rejected()
    {
        var (desk, advisor, _) = OnACall();

        Assert.Equal(RejectionCode.NotInWrapUp, desk.Apply(new WrapUpEnded(advisor)).Rejection().Code);
        Assert.Equal(RejectionCode.NotInWrapUp, desk.Apply(new WrapUpExtended(advisor)).Rejection().Code);
        Assert.Equal(AdvisorStatus.OnContact, desk.StatusOf(advisor));
    }

    [Fact]
    public void Break_requested_during_a_call_applies_when_wrap_up_ends()
    {
        var (desk, advisor, call) = OnACall();

        var deferred = desk.Apply(new AdvisorStatusRequested(advisor, AdvisorStatus.Break, "lunch"));
        desk.Apply(new ContactCompleted(call));
        desk.Call();
        var decisions = desk.AdvanceSeconds(60);

        Assert.Equal([new AdvisorStatusDeferred(advisor, AdvisorStatus.Break, "lunch", Desk.Opening)], deferred);
        Assert.Equal([new AdvisorStatusChanged(advisor, AdvisorStatus.Break, "lunch", desk.Now)], decisions);
        Assert.Equal(1, desk.State.CountWaiting(ContactChannel.Call));
    }

    [Fact]
    public void Offline_requested_during_wrap_up_applies_when_it_is_ended_early()
    {
        var (desk, advisor, call) = OnACall();
        desk.Apply(new ContactCompleted(call));
        desk.Apply(new AdvisorStatusRequested(advisor, AdvisorStatus.Offline));

        var decisions = desk.Apply(new WrapUpEnded(advisor));

        Assert.Equal([new AdvisorStatusChanged(advisor, AdvisorStatus.Offline, null, desk.Now)], decisions);
    }

    [Fact]
    public void Available_request_during_wrap_up_cancels_a_deferred_break()
    {
        var (desk, advisor, call) = OnACall();
        desk.Apply(new AdvisorStatusRequested(advisor, AdvisorStatus.Break, "training"));
        desk.Apply(new ContactCompleted(call));

        var cancelled = desk.Apply(new AdvisorStatusRequested(advisor, AdvisorStatus.Available));
        desk.AdvanceSeconds(60);

        Assert.Equal([new AdvisorStatusDeferred(advisor, AdvisorStatus.Available, null, desk.Now.AddSeconds(-60))], cancelled);
        Assert.Equal(AdvisorStatus.Available, desk.StatusOf(advisor));
    }

    [Fact]
    public void Zero_wrap_up_makes_the_advisor_available_at_once_and_takes_the_next_call()
    {
        var (desk, advisor, call) = OnACall(new RoutingOptions { WrapUp = TimeSpan.Zero });
        var next = desk.Call();

        desk.Apply(new ContactCompleted(call));

        Assert.Equal(next, desk.OfferAt(advisor)?.ContactId);
        Assert.Null(desk.AdvisorFact(advisor).WrapUpEndsAt);
    }

    [Fact]
    public void Advisor_in_wrap_up_is_not_offered_contacts()
    {
        var (desk, advisor, call) = OnACall();
        desk.Apply(new ContactCompleted(call));

        var next = desk.Call();

        Assert.Equal(ContactState.Waiting, desk.State.StateOf(next));
        desk.AdvanceSeconds(60);
        Assert.Equal(next, desk.OfferAt(advisor)?.ContactId);
    }
}
