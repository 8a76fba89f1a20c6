using Helpline.Contracts;
using Helpline.Routing;

namespace Helpline.Routing.Tests;

public sealed class EndingTests
{
    [Fact]
    public void Caller_hanging_up_while_queued_is_abandoned_with_the_wait_time()
    {
        var desk = new Desk();
        desk.Answer(desk.Advisor(), desk.Call());
        var call = desk.Call();
        desk.AdvanceSeconds(42);

        var ended = desk.Apply(new HungUp(call)).Single<ContactEnded>();

        Assert.Equal((ContactOutcome.Abandoned, TimeSpan.FromSeconds(42)), (ended.Outcome, ended.WaitTime));
        Assert.Equal(0, desk.State.CountWaiting(ContactChannel.Call));
        Assert.Equal(ContactOutcome.Abandoned, desk.State.OutcomeOf(call));
    }

    [Fact]
    public void Caller_hanging_up_while_ringing_withdraws_the_offer_and_frees_the_advisor()
    {
        var desk = new Desk();
        var advisor = desk.Advisor();
        var call = desk.Call();
        desk.AdvanceSeconds(3);

        var decisions = desk.Apply(new HungUp(call));

        var withdrawn = decisions.Single<OfferWithdrawn>();
        Assert.Equal((call, advisor, OfferEndReason.CallerHungUp), (withdrawn.ContactId, withdrawn.AdvisorId, withdrawn.Reason));
        Assert.Equal(ContactOutcome.Abandoned, decisions.Single<ContactEnded>().Outcome);
        Assert.Equal(AdvisorStatus.Available, desk.StatusOf(advisor));
        Assert.Equal(0, desk.AdvisorFact(advisor).ConsecutiveMissedOffers);
        Assert.Null(desk.State.NextDueAt);
    }

    [Fact]
    public void Hang_up_after_the_answer_completes_the_call_and_starts_wrap_up()
    {
        var desk = new Desk();
        var advisor = desk.Advisor();
        var call = desk.Call();
        desk.AdvanceSeconds(4);
        desk.Answer(advisor, call);
        desk.AdvanceSeconds(300);

        var decisions = desk.Apply(new HungUp(call));

        var ended = decisions.Single<ContactEnded>();
        Assert.Equal((ContactOutcome.Completed, TimeSpan.FromSeconds(4), advisor), (ended.Outcome, ended.WaitTime, ended.AdvisorId));
        Assert.Equal(AdvisorStatus.WrapUp, desk.StatusOf(advisor));
    }

    [Fact]
    public void Hang_up_on_an_email_is_rejected()
    {
        var desk = new Desk();
        var email = desk.Email();

        Assert.Equal(RejectionCode.WrongChannel, desk.Apply(new HungUp(email)).Rejection().Code);
        Assert.Equal(ContactState.Waiting, desk.State.StateOf(email));
    }

    [Fact]
    public void Completing_a_contact_that_is_not_assigned_is_rejected_and_changes_nothing()
    {
        var desk = new Desk();
        var advisor = desk.Advisor();
        var call = desk.Call();
        var before = Invariants.Describe(desk.State.ToSnapshot());

        var rejected = desk.Apply(new ContactCompleted(call)).Rejection();

        Assert.Equal(RejectionCode.ContactNotAssigned, rejected.Code);
        Assert.Equal(before, Invariants.Describe(desk.State.ToSnapshot()));
        Assert.NotNull(desk.OfferAt(advisor));
    }

    [Fact]
    public void Events_for_an_ended_contact_are_rejected_and_it_stays_ended()
    {
        var desk = new Desk();
        desk.Advisor();
        var call = desk.Call();
        desk.Apply(new HungUp(call));

        Assert.Equal(RejectionCode.ContactAlreadyEnded, desk.Apply(new HungUp(call)).Rejection().Code);
        Assert.Equal(RejectionCode.ContactAlreadyEnded, desk.Apply(new ContactCompleted(call)).Rejection().Code);
        Assert.Equal(RejectionCode.ContactAlreadyEnded, desk.Apply(new ConnectFailed(call, "busy")).Rejection().Code);
        Assert.Equal(ContactOutcome.Abandoned, desk.State.OutcomeOf(call));
    }

    [Fact]
    public void Events_for_an_unknown_contact_are_rejected()
    {
        var desk = new Desk();

        Assert.Equal(RejectionCode.UnknownContact, desk.Apply(new ContactCompleted(desk.NewId())).Rejection().Code);
        Assert.Equal(RejectionCode.UnknownContact, desk.Apply(new HungUp(desk.NewId())).Rejection().Code);
    }

    [Fact]
    public void Connect_failure_requeues_the_call_at_its_original_place_and_tells_the_advisor()
    {
        var desk = new Desk();
        var advisor = desk.Advisor();
        var call = desk.Call();
        var enteredAt = desk.Now;
        desk.AdvanceSeconds(5);
        desk.Answer(advisor, call);
        desk.Apply(new AdvisorStatusRequested(advisor, AdvisorStatus.Break, "lunch"));
        desk.Apply(new AdvisorStatusRequested(advisor, AdvisorStatus.Available));
        var later = desk.Call();

        var decisions = desk.Apply(new ConnectFailed(call, "provider could not reach the advisor's phone"));

        var undone = decisions.Single<AssignmentUndone>();
        Assert.Equal((call, advisor, UndoReason.ConnectFailed), (undone.ContactId, undone.AdvisorId, undone.Reason));
        Assert.Equal("provider could not reach the advisor's phone", undone.Detail);
        Assert.Equal(call, decisions.Single<ContactRequeued>().ContactId);
        Assert.Contains(new AdvisorStatusChanged(advisor, AdvisorStatus.Available, null, desk.Now), decisions);
        Assert.Equal(call, desk.OfferAt(advisor)?.ContactId);
        Assert.Equal(enteredAt, desk.State.PositionOf(call, desk.Now)!.EnteredAt);
        Assert.Equal(1, desk.State.PositionOf(later, desk.Now)!.Position);
        Assert.Null(desk.AdvisorFact(advisor).HandleStartedAt);
    }

    [Fact]
    public void Connect_failure_prefers_another_advisor_for_the_call()
    {
        var desk = new Desk();
        var first = desk.Advisor();
        var call = desk.Call();
        desk.Answer(first, call);
        var second = desk.Advisor();

        desk.Apply(new ConnectFailed(call, "no answer from advisor leg"));

        Assert.Equal(call, desk.OfferAt(second)?.ContactId);
        Assert.Equal(AdvisorStatus.Available, desk.StatusOf(first));
    }

    [Fact]
    public void Connect_failure_applies_a_break_requested_during_the_call()
    {
        var desk = new Desk();
        var advisor = desk.Advisor();
        var call = desk.Call();
        desk.Answer(advisor, call);
        desk.Apply(new AdvisorStatusRequested(advisor, AdvisorStatus.Break, "training"));

        desk.Apply(new ConnectFailed(call, "failed"));

        Assert.Equal(AdvisorStatus.Break, desk.StatusOf(advisor));
        Assert.Equal(ContactState.Waiting, desk.State.StateOf(call));
    }

    [Fact]
    public void Connect_failure_for_a_call_not_yet_accepted_is_rejected()
    {
        var desk = new Desk();
        desk.Advisor();
        var call = desk.Call();

        Assert.Equal(RejectionCode.ContactNotAssigned, desk.Apply(new ConnectFailed(call, "x")).Rejection().Code);
    }
}
