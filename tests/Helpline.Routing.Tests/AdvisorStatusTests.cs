namespace Helpline.Routing.Tests;

public sealed class AdvisorStatusTests
{
    [Fact]
    public void Every_status_change_is_reported_with_its_reason()
    {
        var desk = new Desk();
        var advisor = desk.Advisor(signIn: false);

        var signedIn = desk.Apply(new AdvisorStatusRequested(advisor, AdvisorStatus.Available));
        var lunch = desk.Apply(new AdvisorStatusRequested(advisor, AdvisorStatus.Break, "lunch"));
        var training = desk.Apply(new AdvisorStatusRequested(advisor, AdvisorStatus.Break, "training"));
        var sameAgain = desk.Apply(new AdvisorStatusRequested(advisor, AdvisorStatus.Break, "training"));
        var signedOut = desk.Apply(new AdvisorStatusRequested(advisor, AdvisorStatus.Offline));

        Assert.Equal([new AdvisorStatusChanged(advisor, AdvisorStatus.Available, null, desk.Now)], signedIn);
        Assert.Equal([new AdvisorStatusChanged(advisor, AdvisorStatus.Break, "lunch", desk.Now)], lunch);
        Assert.Equal([new AdvisorStatusChanged(advisor, AdvisorStatus.Break, "training", desk.Now)], training);
        Assert.Empty(sameAgain);
        Assert.Equal([new AdvisorStatusChanged(advisor, AdvisorStatus.Offline, null, desk.Now)], signedOut);
    }

    [Fact]
    public void Break_without_a_reason_uses_the_default_reason()
    {
        var desk = new Desk();
        var advisor = desk.Advisor();

        desk.Apply(new AdvisorStatusRequested(advisor, AdvisorStatus.Break, "  "));

        Assert.Equal("break", desk.AdvisorFact(advisor).BreakReason);
    }

    [Fact]
    public void Break_while_ringing_withdraws_the_offer_and_the_contact_goes_to_the_next_advisor()
    {
        var desk = new Desk();
        var first = desk.Advisor();
        var second = desk.Advisor();
        var call = desk.Call();

        var decisions = desk.Apply(new AdvisorStatusRequested(first, AdvisorStatus.Break, "debrief"));

        Assert.Equal(OfferEndReason.AdvisorUnavailable, decisions.Single<OfferWithdrawn>().Reason);
        Assert.Equal(call, desk.OfferAt(second)?.ContactId);
        Assert.Equal(AdvisorStatus.Break, desk.StatusOf(first));
        Assert.Equal(0, desk.AdvisorFact(first).ConsecutiveMissedOffers);
    }

    [Theory]
    [InlineData(AdvisorStatus.Offered)]
    [InlineData(AdvisorStatus.OnContact)]
    [InlineData(AdvisorStatus.WrapUp)]
    [InlineData((AdvisorStatus)42)]
    public void Requesting_a_status_that_cannot_be_requested_is_rejected_and_changes_nothing(AdvisorStatus status)
    {
        var desk = new Desk();
        var advisor = desk.Advisor();
        var before = Invariants.Describe(desk.State.ToSnapshot());

        var rejected = desk.Apply(new AdvisorStatusRequested(advisor, status)).Rejection();

        Assert.Equal(RejectionCode.InvalidStatus, rejected.Code);
        Assert.Equal(before, Invariants.Describe(desk.State.ToSnapshot()));
    }

    [Fact]
    public void Commands_for_an_unknown_advisor_are_rejected()
    {
        var desk = new Desk();
        var stranger = desk.NewId();

        Assert.Equal(RejectionCode.UnknownAdvisor, desk.Apply(new AdvisorStatusRequested(stranger, AdvisorStatus.Available)).Rejection().Code);
        Assert.Equal(RejectionCode.UnknownAdvisor, desk.Apply(new WrapUpEnded(stranger)).Rejection().Code);
        Assert.Equal(RejectionCode.UnknownAdvisor, desk.Apply(new WrapUpExtended(stranger)).Rejection().Code);
        Assert.Equal(RejectionCode.UnknownAdvisor, desk.Apply(new OfferDeclined(1, stranger)).Rejection().Code);
    }

    [Fact]
    public void Configuring_with_unknown_skills_or_negative_capacity_is_rejected()
    {
        var desk = new Desk();
        var advisor = desk.Advisor();

        Assert.Equal(RejectionCode.InvalidSkills, desk.Apply(new AdvisorConfigured(advisor, (Skills)8)).Rejection().Code);
        Assert.Equal(RejectionCode.InvalidCapacity, desk.Apply(new AdvisorConfigured(advisor, Skills.Emails, -1)).Rejection().Code);
        Assert.Equal(Skills.Calls, desk.AdvisorFact(advisor).Skills);
    }

    [Fact]
    public void Gaining_a_skill_makes_the_advisor_eligible_at_once()
    {
        var desk = new Desk();
        var advisor = desk.Advisor(Skills.Calls);
        var email = desk.Email();

        desk.Apply(new AdvisorConfigured(advisor, Skills.CallsAndEmails));

        Assert.Equal(email, desk.OfferAt(advisor)?.ContactId);
    }

    [Fact]
    public void Repeated_requests_for_the_current_status_change_nothing()
    {
        var desk = new Desk();
        var advisor = desk.Advisor();

        Assert.Empty(desk.Apply(new AdvisorStatusRequested(advisor, AdvisorStatus.Available)));
        desk.Apply(new AdvisorStatusRequested(advisor, AdvisorStatus.Offline));
        Assert.Empty(desk.Apply(new AdvisorStatusRequested(advisor, AdvisorStatus.Offline)));
    }

    [Fact]
    public void Signing_in_from_break_or_offline_makes_the_advisor_take_waiting_work()
    {
        var desk = new Desk();
        var advisor = desk.Advisor();
        desk.Apply(new AdvisorStatusRequested(advisor, AdvisorStatus.Break, "lunch"));
        var call = desk.Call();

        desk.Apply(new AdvisorStatusRequested(advisor, AdvisorStatus.Available));

        Assert.Equal(call, desk.OfferAt(advisor)?.ContactId);
    }
}
