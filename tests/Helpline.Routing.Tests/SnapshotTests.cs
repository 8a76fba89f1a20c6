using Helpline.Contracts;
using Helpline.Routing;

namespace Helpline.Routing.Tests;

public sealed class SnapshotTests
{
    private static readonly DateTimeOffset At = Desk.Opening;

    [Fact]
    public void Restore_rebuilds_a_state_that_snapshots_identically()
    {
        var desk = new Desk();
        var a = desk.Advisor(Skills.CallsAndEmails);
        desk.Advisor();
        var c = desk.Advisor(Skills.Emails);
        desk.Answer(a, desk.Call());
        desk.Call();
        desk.Email();
        desk.Accept(c);
        desk.Email();
        desk.Apply(new AdvisorStatusRequested(a, AdvisorStatus.Break, "lunch"));
        desk.Apply(new AdvisorStatusRequested(desk.Advisor(), AdvisorStatus.Break, "training"));
        desk.Call(ContactPriority.Urgent);

        var snapshot = desk.State.ToSnapshot();
        var restored = RouterState.Restore(snapshot, desk.State.Options);

        Assert.Equal(Invariants.Describe(snapshot), Invariants.Describe(restored.ToSnapshot()));
        Assert.Equal(desk.State.NextDueAt, restored.NextDueAt);
        Invariants.Check(restored);
    }

    [Fact]
    public void Restored_waiting_contacts_keep_their_order_and_overdue_timers_fire_on_the_first_tick()
    {
        var caller = Ids.Of(1);
        var earlier = Ids.Of(2);
        var advisor = Ids.Of(10);
        var snapshot = new RouterSnapshot
        {
            Contacts =
            [
                new ContactFact(caller, ContactChannel.Call, ContactPriority.Normal, At),
                new ContactFact(earlier, ContactChannel.Call, ContactPriority.Normal, At.AddSeconds(-30)),
            ],
            Advisors =
            [
                new AdvisorFact(advisor, Skills.Calls, 3, AdvisorStatus.WrapUp) { WrapUpEndsAt = At.AddSeconds(10), IdleSince = At.AddMinutes(-10) },
            ],
            NextOfferId = 40,
            AsOf = At,
        };

        var state = RouterState.Restore(snapshot, new RoutingOptions());
        var decisions = Router.Apply(state, Tick.Instance, At.AddMinutes(1));

        Assert.Equal(AdvisorStatus.Available, Assert.IsType<AdvisorStatusChanged>(decisions[0]).Status);
        var offer = decisions.Single<OfferMade>();
        Assert.Equal((earlier, 40L), (offer.ContactId, offer.OfferId));
    }

    [Fact]
    public void Restored_waiting_contact_goes_to_an_advisor_who_has_not_tried_it_even_if_idle_for_less_time()
    {
        var call = Ids.Of(1);
        var decliner = Ids.Of(10);
        var fresh = Ids.Of(11);
        var snapshot = new RouterSnapshot
        {
            Contacts = [new ContactFact(call, ContactChannel.Call, ContactPriority.Normal, At) { TriedBy = [decliner] }],
            Advisors =
            [
                new AdvisorFact(decliner, Skills.Calls, 3, AdvisorStatus.Available) { IdleSince = At.AddMinutes(-30) },
                new AdvisorFact(fresh, Skills.Calls, 3, AdvisorStatus.Available) { IdleSince = At },
            ],
            AsOf = At,
        };

        var decisions = Router.Apply(RouterState.Restore(snapshot, new RoutingOptions()), Tick.Instance, At);

        Assert.Equal(fresh, decisions.Single<OfferMade>().AdvisorId);
    }

    [Fact]
    public void Restored_live_offer_can_be_accepted_and_times_out_as_before()
    {
        var call = Ids.Of(1);
        var advisor = Ids.Of(10);
        var snapshot = new RouterSnapshot
        {
            Contacts = [new ContactFact(call, ContactChannel.Call, ContactPriority.Normal, At)],
            Advisors =
            [
                new AdvisorFact(advisor, Skills.Calls, 3, AdvisorStatus.Offered) { LiveOffer = new OfferFact(7, call, At, At.AddSeconds(20)) },
            ],
            NextOfferId = 8,
            AsOf = At,
        };

        var state = RouterState.Restore(snapshot, new RoutingOptions());
        Assert.Equal(At.AddSeconds(20), state.NextDueAt);
        var decisions = Router.Apply(state, new OfferAccepted(7, advisor), At.AddSeconds(5));

        Assert.Equal(call, decisions.Single<ContactAssigned>().ContactId);
        Assert.Equal(RejectionCode.OfferNotLive, Router.Apply(state, new OfferAccepted(3, advisor), At.AddSeconds(6)).Rejection().Code);
    }

    [Fact]
    public void Restore_refuses_facts_that_contradict_each_other()
    {
        var call = Ids.Of(1);
        var advisor = Ids.Of(10);
        var other = Ids.Of(11);
        var contacts = new[] { new ContactFact(call, ContactChannel.Call, ContactPriority.Normal, At) { AssignedAt = At } };
        var options = new RoutingOptions();

        RouterSnapshot With(params AdvisorFact[] advisors) => new() { Contacts = contacts, Advisors = advisors, AsOf = At };

        Assert.Throws<ArgumentException>(() => RouterState.Restore(
            With(new AdvisorFact(advisor, Skills.Calls, 3, AdvisorStatus.Available) { CurrentCall = call }), options));
        Assert.Throws<ArgumentException>(() => RouterState.Restore(
            With(
                new AdvisorFact(advisor, Skills.Calls, 3, AdvisorStatus.OnContact) { CurrentCall = call },
                new AdvisorFact(other, Skills.Calls, 3, AdvisorStatus.OnContact) { CurrentCall = call }),
            options));
        Assert.Throws<ArgumentException>(() => RouterState.Restore(
            With(new AdvisorFact(advisor, Skills.Calls, 3, AdvisorStatus.OnContact) { OpenEmails = [call] }), options));
        Assert.Throws<ArgumentException>(() => RouterState.Restore(
            With(new AdvisorFact(advisor, Skills.Calls, 3, AdvisorStatus.Available)), options));
        Assert.Throws<ArgumentException>(() => RouterState.Restore(
            With(new AdvisorFact(advisor, Skills.Calls, 3, AdvisorStatus.OnContact) { CurrentCall = call, PendingStatus = AdvisorStatus.WrapUp }), options));
        Assert.Throws<ArgumentException>(() => RouterState.Restore(
            With(new AdvisorFact(advisor, Skills.Calls, 3, AdvisorStatus.Break) { CurrentCall = call }), options));

        var restored = RouterState.Restore(
            With(new AdvisorFact(advisor, Skills.Calls, 3, AdvisorStatus.OnContact) { CurrentCall = call, PendingStatus = AdvisorStatus.Break, PendingReason = "lunch" }),
            options);
        Assert.Equal(ContactState.Assigned, restored.StateOf(call));
    }

    [Fact]
    public void Clone_is_independent_and_remembers_ended_contacts()
    {
        var desk = new Desk();
        var advisor = desk.Advisor();
        var ended = desk.Call();
        desk.Apply(new HungUp(ended));
        desk.Call();

        var clone = desk.State.Clone();
        desk.Accept(advisor);

        Assert.Equal(AdvisorStatus.Offered, clone.FindAdvisor(advisor)!.Status);
        Assert.Equal(ContactOutcome.Abandoned, clone.OutcomeOf(ended));
    }
}
