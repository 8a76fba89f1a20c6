namespace Helpline.Routing.Tests;

public sealed class AdvisorChoiceTests
{
    [Fact]
    public void Longest_idle_advisor_gets_the_offer()
    {
        var desk = new Desk();
        var early = desk.Advisor();
        desk.AdvanceSeconds(10);
        var late = desk.Advisor();

        desk.Call();

        Assert.NotNull(desk.OfferAt(early));
        Assert.Null(desk.OfferAt(late));
    }

    [Fact]
    public void Advisor_who_just_finished_a_contact_goes_behind_idle_colleagues()
    {
        var desk = new Desk(new RoutingOptions { WrapUp = TimeSpan.Zero });
        var first = desk.Advisor();
        desk.AdvanceSeconds(10);
        var second = desk.Advisor();
        var call = desk.Call();
        desk.Answer(first, call);
        desk.AdvanceSeconds(60);
        desk.Apply(new ContactCompleted(call));

        desk.Call();

        Assert.NotNull(desk.OfferAt(second));
        Assert.Null(desk.OfferAt(first));
    }

    [Fact]
    public void Round_robin_rotates_through_advisors_in_registration_order()
    {
        var desk = new Desk(new RoutingOptions { AdvisorSelection = AdvisorSelection.RoundRobin, WrapUp = TimeSpan.Zero });
        var advisors = new[] { desk.Advisor(), desk.Advisor(), desk.Advisor() };

        var chosen = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            var call = desk.Call();
            var advisor = advisors.Single(a => desk.OfferAt(a)?.ContactId == call);
            chosen.Add(advisor);
            desk.Answer(advisor, call);
            desk.Apply(new ContactCompleted(call));
        }

        Assert.Equal([advisors[0], advisors[1], advisors[2], advisors[0], advisors[1]], chosen);
    }

    [Fact]
    public void Round_robin_skips_advisors_who_are_not_available()
    {
        var desk = new Desk(new RoutingOptions { AdvisorSelection = AdvisorSelection.RoundRobin });
        var a = desk.Advisor();
        var b = desk.Advisor();
        var c = desk.Advisor();
        desk.Answer(a, desk.Call());
        desk.Apply(new AdvisorStatusRequested(b, AdvisorStatus.Break, "training"));

        desk.Call();

        Assert.NotNull(desk.OfferAt(c));
    }

    [Fact]
    public void Advisor_without_the_skill_is_never_offered_the_channel()
    {
        var desk = new Desk();
        var emailOnly = desk.Advisor(Skills.Emails);
        desk.Advisor(Skills.Calls, signIn: false);
        desk.Apply(new AdvisorStatusRequested(desk.Advisor(Skills.Calls), AdvisorStatus.Break, "lunch"));

        var call = desk.Call();

        Assert.Null(desk.OfferAt(emailOnly));
        Assert.Equal(ContactState.Waiting, desk.State.StateOf(call));
    }
}
