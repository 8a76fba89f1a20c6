using Helpline.Contracts;
using Helpline.Routing;

namespace Helpline.Routing.Tests;

public sealed class OfferTests
{
    [Fact]
    public void Offer_times_out_and_call_keeps_its_place()
    {
        var desk = new Desk();
        var first = desk.Advisor();
        var olderCall = desk.Call();
        desk.AdvanceSeconds(5);
        var newerCall = desk.Call();
        desk.AdvanceSeconds(10);
        var second = desk.Advisor();
        Assert.Equal(newerCall, desk.OfferAt(second)?.ContactId);
        desk.Apply(new AdvisorStatusRequested(second, AdvisorStatus.Break, "debrief"));

        var decisions = desk.AdvanceSeconds(5);

        var withdrawn = decisions.Single<OfferWithdrawn>();
        Assert.Equal((olderCall, first, OfferEndReason.TimedOut), (withdrawn.ContactId, withdrawn.AdvisorId, withdrawn.Reason));
        Assert.Equal(olderCall, decisions.Single<ContactRequeued>().ContactId);
        var queue = desk.State.QueueSnapshot(ContactChannel.Call, desk.Now);
        Assert.Equal([olderCall, newerCall], queue.Select(e => e.ContactId));
    }

    [Fact]
    public void Timed_out_call_goes_to_the_next_advisor()
    {
        var desk = new Desk();
        var second = desk.Advisor();
        var otherCall = desk.Call();
        desk.Answer(second, otherCall);
        var first = desk.Advisor();
        var call = desk.Call();
        Assert.Equal(call, desk.OfferAt(first)?.ContactId);
        desk.Apply(new ContactCompleted(otherCall));
        desk.Apply(new WrapUpEnded(second));

        var decisions = desk.AdvanceSeconds(20);

        var offer = decisions.Single<OfferMade>();
        Assert.Equal((call, second), (offer.ContactId, offer.AdvisorId));
        Assert.Equal(AdvisorStatus.Available, desk.StatusOf(first));
    }

    [Fact]
    public void Declined_call_goes_to_the_next_advisor_and_keeps_its_place()
    {
        var desk = new Desk();
        var first = desk.Advisor();
        desk.AdvanceSeconds(1);
        var second = desk.Advisor();
        var call = desk.Call();

        var decisions = desk.Decline(first);

        Assert.Equal(OfferEndReason.Declined, decisions.Single<OfferWithdrawn>().Reason);
        Assert.Equal(call, desk.OfferAt(second)?.ContactId);
        Assert.Null(desk.OfferAt(first));
        Assert.Equal(AdvisorStatus.Available, desk.StatusOf(first));
    }

    [Fact]
    public void Advisor_who_declined_gets_other_contacts_first_but_the_declined_one_when_nobody_else_can()
    {
        var desk = new Desk();
        var advisor = desk.Advisor();
        var declined = desk.Call();
        desk.AdvanceSeconds(1);

        var reoffer = desk.Decline(advisor).Single<OfferMade>();

        Assert.Equal((declined, advisor), (reoffer.ContactId, reoffer.AdvisorId));
    }

    [Fact]
    public void Two_consecutive_missed_offers_put_the_advisor_on_break_for_missed_offers()
    {
        var desk = new Desk();
        var advisor = desk.Advisor();
        desk.Call();

        desk.AdvanceSeconds(20);
        Assert.Equal(AdvisorStatus.Offered, desk.StatusOf(advisor));
        Assert.Equal(1, desk.AdvisorFact(advisor).ConsecutiveMissedOffers);
        var decisions = desk.AdvanceSeconds(20);

        Assert.Contains(new AdvisorStatusChanged(advisor, AdvisorStatus.Break, "missed offers", desk.Now), decisions);
        Assert.Equal(1, desk.State.CountWaiting(ContactChannel.Call));
    }

    [Fact]
    public void Explicit_declines_do_not_count_as_missed_offers_and_reset_the_count()
    {
        var desk = new Desk();
        var advisor = desk.Advisor();
        desk.Call();
        desk.AdvanceSeconds(20);

        desk.Decline(advisor);
        desk.Decline(advisor);
        desk.AdvanceSeconds(20);

        Assert.Equal(AdvisorStatus.Offered, desk.StatusOf(advisor));
        Assert.Equal(1, desk.AdvisorFact(advisor).ConsecutiveMissedOffers);
    }

    [Fact]
    public void Missed_offers_never_break_the_advisor_when_the_limit_is_zero()
    {
        var desk = new Desk(new RoutingOptions { MissedOffersBeforeBreak = 0 });
        var advisor = desk.Advisor();
        desk.Call();

        for (var i = 0; i < 5; i++)
        {
            desk.AdvanceSeconds(20);
        }

        Assert.Equal(AdvisorStatus.Offered, desk.StatusOf(advisor));
        Assert.Equal(5, desk.AdvisorFact(advisor).ConsecutiveMissedOffers);
    }

    [Fact]
    public void Returning_from_break_clears_the_missed_offers()
    {
        var desk = new Desk();
        var advisor = desk.Advisor();
        desk.Call();
        desk.AdvanceSeconds(20);
        desk.AdvanceSeconds(20);
        Assert.Equal(AdvisorStatus.Break, desk.StatusOf(advisor));

        desk.Apply(new AdvisorStatusRequested(advisor, AdvisorStatus.Available));

        Assert.Equal(0, desk.AdvisorFact(advisor).ConsecutiveMissedOffers);
        Assert.Equal(AdvisorStatus.Offered, desk.StatusOf(advisor));
    }

    [Fact]
    public void Accept_assigns_the_call_and_the_advisor_is_OnContact()
    {
        var desk = new Desk();
        var advisor = desk.Advisor();
        var call = desk.Call();
        desk.AdvanceSeconds(7);

        var decisions = desk.Accept(advisor);

        var assigned = decisions.Single<ContactAssigned>();
        Assert.Equal((call, advisor, TimeSpan.FromSeconds(7)), (assigned.ContactId, assigned.AdvisorId, assigned.WaitTime));
        Assert.Contains(new AdvisorStatusChanged(advisor, AdvisorStatus.OnContact, null, desk.Now), decisions);
        Assert.Equal(call, desk.AdvisorFact(advisor).CurrentCall);
        Assert.Equal(ContactState.Assigned, desk.State.StateOf(call));
    }

    [Fact]
    public void Accepting_after_the_offer_timed_out_is_rejected_as_expired()
    {
        var desk = new Desk();
        var advisor = desk.Advisor();
        desk.Call();
        var offerId = desk.OfferAt(advisor)!.OfferId;
        desk.SetNow(desk.Now.AddSeconds(21));

        var decisions = desk.Apply(new OfferAccepted(offerId, advisor));

        Assert.Equal(OfferEndReason.TimedOut, decisions.Single<OfferWithdrawn>().Reason);
        Assert.Equal(RejectionCode.OfferExpired, decisions.Single<Rejected>().Code);
        Assert.DoesNotContain(decisions, d => d is ContactAssigned);
    }

    [Fact]
    public void Accepting_another_advisors_offer_is_rejected_and_changes_nothing()
    {
        var desk = new Desk();
        var ringing = desk.Advisor();
        var other = desk.Advisor(Skills.Emails);
        desk.Call();
        var before = Invariants.Describe(desk.State.ToSnapshot());

        var rejected = desk.Apply(new OfferAccepted(desk.OfferAt(ringing)!.OfferId, other)).Rejection();

        Assert.Equal(RejectionCode.OfferBelongsToAnotherAdvisor, rejected.Code);
        Assert.Equal(before, Invariants.Describe(desk.State.ToSnapshot()));
    }

    [Fact]
    public void Declining_another_advisors_offer_is_rejected_and_changes_nothing()
    {
        var desk = new Desk();
        var ringing = desk.Advisor();
        var other = desk.Advisor(Skills.Emails);
        desk.Call();
        var before = Invariants.Describe(desk.State.ToSnapshot());

        var rejected = desk.Apply(new OfferDeclined(desk.OfferAt(ringing)!.OfferId, other)).Rejection();

        Assert.Equal(RejectionCode.OfferBelongsToAnotherAdvisor, rejected.Code);
        Assert.Equal(before, Invariants.Describe(desk.State.ToSnapshot()));
    }

    [Fact]
    public void Unknown_offer_id_is_rejected_and_changes_nothing()
    {
        var desk = new Desk();
        var advisor = desk.Advisor();
        desk.Call();
        var before = Invariants.Describe(desk.State.ToSnapshot());

        var rejected = desk.Apply(new OfferAccepted(999, advisor)).Rejection();

        Assert.Equal(RejectionCode.UnknownOffer, rejected.Code);
        Assert.Equal(before, Invariants.Describe(desk.State.ToSnapshot()));
    }

    [Fact]
    public void Declining_an_offer_already_accepted_is_rejected_as_not_live()
    {
        var desk = new Desk();
        var advisor = desk.Advisor();
        desk.Call();
        var offerId = desk.OfferAt(advisor)!.OfferId;
        desk.Accept(advisor);
        var before = Invariants.Describe(desk.State.ToSnapshot());

        var rejected = desk.Apply(new OfferDeclined(offerId, advisor)).Rejection();

        Assert.Equal(RejectionCode.OfferNotLive, rejected.Code);
        Assert.Contains("accepted", rejected.Message, StringComparison.Ordinal);
        Assert.Equal(before, Invariants.Describe(desk.State.ToSnapshot()));
    }

    [Fact]
    public void Offer_answered_by_an_unknown_advisor_is_rejected()
    {
        var desk = new Desk();
        var advisor = desk.Advisor();
        desk.Call();

        var rejected = desk.Apply(new OfferAccepted(desk.OfferAt(advisor)!.OfferId, desk.NewId())).Rejection();

        Assert.Equal(RejectionCode.UnknownAdvisor, rejected.Code);
    }
}
