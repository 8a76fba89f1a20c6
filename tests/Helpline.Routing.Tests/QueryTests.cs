using Helpline.Contracts;
using Helpline.Routing;

namespace Helpline.Routing.Tests;

public sealed class QueryTests
{
    [Fact]
    public void Position_and_estimated_wait_follow_the_queue_order()
    {
        var desk = new Desk(new RoutingOptions { DefaultCallHandleTime = TimeSpan.FromMinutes(8) });
        var first = desk.Advisor();
        var second = desk.Advisor();
        desk.Answer(first, desk.Call());
        desk.Answer(second, desk.Call());
        var normal = desk.Call();
        desk.AdvanceSeconds(30);
        var urgent = desk.Call(ContactPriority.Urgent);
        var later = desk.Call();

        var queue = desk.State.QueueSnapshot(ContactChannel.Call, desk.Now);

        Assert.Equal([urgent, normal, later], queue.Select(e => e.ContactId));
        Assert.Equal([1, 2, 3], queue.Select(e => e.Position));
        Assert.Equal(
            [TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(8), TimeSpan.FromMinutes(12)],
            queue.Select(e => e.EstimatedWait!.Value));
        Assert.Equal(TimeSpan.FromSeconds(30), queue[1].Waited);
        Assert.Equal(queue[1], desk.State.PositionOf(normal, desk.Now));
    }

    [Fact]
    public void Ringing_contact_has_position_zero_and_names_the_advisor()
    {
        var desk = new Desk();
        var advisor = desk.Advisor();
        var call = desk.Call();

        var entry = desk.State.PositionOf(call, desk.Now)!;

        Assert.Equal((0, advisor, TimeSpan.Zero), (entry.Position, entry.OfferedTo!.Value, entry.EstimatedWait!.Value));
    }

    [Fact]
    public void Estimate_uses_the_mean_of_recent_handle_times_including_wrap_up()
    {
        var desk = new Desk(new RoutingOptions { DefaultCallHandleTime = TimeSpan.FromHours(1) });
        var advisor = desk.Advisor();
        foreach (var talk in new[] { 240, 540 })
        {
            var call = desk.Call();
            desk.Answer(advisor, call);
            desk.AdvanceSeconds(talk);
            desk.Apply(new ContactCompleted(call));
            desk.AdvanceSeconds(60);
        }

        Assert.Equal(TimeSpan.FromSeconds(450), desk.State.EstimateWait(ContactChannel.Call, 1));
        Assert.Equal(TimeSpan.FromSeconds(900), desk.State.EstimateWait(ContactChannel.Call, 2));
    }

    [Fact]
    public void Email_estimate_divides_by_the_signed_in_email_capacity()
    {
        var desk = new Desk(new RoutingOptions { DefaultEmailHandleTime = TimeSpan.FromMinutes(60) });
        desk.Advisor(Skills.Emails, emailCapacity: 2);
        desk.Advisor(Skills.CallsAndEmails, emailCapacity: 2);
        desk.Apply(new AdvisorStatusRequested(desk.Advisor(Skills.Emails), AdvisorStatus.Break, "lunch"));

        Assert.Equal(TimeSpan.FromMinutes(30), desk.State.EstimateWait(ContactChannel.Email, 2));
    }

    [Fact]
    public void Estimate_is_unknown_when_nobody_who_could_take_the_contact_is_signed_in()
    {
        var desk = new Desk();
        var email = desk.Email();

        Assert.Null(desk.State.PositionOf(email, desk.Now)!.EstimatedWait);
    }

    [Fact]
    public void Assigned_and_unknown_contacts_have_no_position()
    {
        var desk = new Desk();
        var advisor = desk.Advisor();
        var call = desk.Call();
        desk.Accept(advisor);

        Assert.Null(desk.State.PositionOf(call, desk.Now));
        Assert.Null(desk.State.PositionOf(desk.NewId(), desk.Now));
        Assert.Null(desk.State.StateOf(desk.NewId()));
    }

    [Fact]
    public void NextDueAt_names_the_earliest_pending_timer()
    {
        var desk = new Desk(new RoutingOptions { EmailLimits = new ChannelLimits { MaxWait = TimeSpan.FromSeconds(15) } });
        Assert.Null(desk.State.NextDueAt);
        var advisor = desk.Advisor();
        desk.Call();
        Assert.Equal(desk.Now.AddSeconds(20), desk.State.NextDueAt);

        desk.AdvanceSeconds(5);
        desk.Email();

        Assert.Equal(desk.Now.AddSeconds(15), desk.State.NextDueAt);
        desk.Accept(advisor);
        Assert.Equal(desk.Now.AddSeconds(15), desk.State.NextDueAt);
    }

    [Fact]
    public void Time_never_runs_backwards()
    {
        var desk = new Desk();
        var advisor = desk.Advisor();
        desk.AdvanceSeconds(10);
        desk.Call();
        desk.SetNow(desk.Now.AddSeconds(-5));

        var assigned = desk.Accept(advisor).Single<ContactAssigned>();

        Assert.Equal(desk.Now.AddSeconds(5), assigned.At);
        Assert.Equal(TimeSpan.Zero, assigned.WaitTime);
    }

    [Fact]
    public void Options_are_validated()
    {
        Assert.Throws<ArgumentException>(() => new RouterState(new RoutingOptions { OfferTimeout = TimeSpan.Zero }));
        Assert.Throws<ArgumentException>(() => new RouterState(new RoutingOptions { CallLimits = new ChannelLimits { MaxQueueLength = 0 } }));
        Assert.Throws<ArgumentException>(() => new RouterState(new RoutingOptions { AdvisorSelection = (AdvisorSelection)9 }));
        Assert.Throws<ArgumentException>(() => new RouterState(new RoutingOptions { WrapUp = TimeSpan.FromSeconds(-1) }));
    }
}
