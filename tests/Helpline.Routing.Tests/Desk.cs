using Helpline.Contracts;
using Helpline.Routing;

namespace Helpline.Routing.Tests;

/// <summary>A router with a hand-driven clock for example-based tests.</summary>
internal sealed class Desk
{
    public static readonly DateTimeOffset Opening = new(2025, 3, 3, 9, 30, 0, TimeSpan.Zero);

    private int _nextId;

    public Desk(RoutingOptions? options = null)
    {
        State = new RouterState(options ?? new RoutingOptions());
    }

    public RouterState State { get; }

    public DateTimeOffset Now { get; private set; } = Opening;

    public IReadOnlyList<RoutingDecision> Apply(RoutingEvent routingEvent) => Router.Apply(State, routingEvent, Now);

    public IReadOnlyList<RoutingDecision> Advance(TimeSpan by)
    {
        Now += by;
        return Apply(Tick.Instance);
    }

    public IReadOnlyList<RoutingDecision> AdvanceSeconds(double seconds) => Advance(TimeSpan.FromSeconds(seconds));

    public void SetNow(DateTimeOffset now) => Now = now;

    public Guid NewId() => Ids.Of(++_nextId);

    public Guid Advisor(Skills skills = Skills.Calls, bool signIn = true, int? emailCapacity = null)
    {
        var id = NewId();
        Apply(new AdvisorConfigured(id, skills, emailCapacity));
        if (signIn)
        {
            Apply(new AdvisorStatusRequested(id, AdvisorStatus.Available));
        }

        return id;
    }

    public Guid Call(int priority = ContactPriority.Normal) => Arrive(ContactChannel.Call, priority);

    public Guid Email(int priority = ContactPriority.Normal) => Arrive(ContactChannel.Email, priority);

    public Guid Arrive(ContactChannel channel, int priority = ContactPriority.Normal)
    {
        var id = NewId();
        Apply(new ContactArrived(id, channel, priority));
        return id;
    }

    public AdvisorFact AdvisorFact(Guid advisorId) => State.FindAdvisor(advisorId) ?? throw new InvalidOperationException("no such advisor");

    public AdvisorStatus StatusOf(Guid advisorId) => AdvisorFact(advisorId).Status;

    public OfferFact? OfferAt(Guid advisorId) => AdvisorFact(advisorId).LiveOffer;

    public IReadOnlyList<RoutingDecision> Accept(Guid advisorId) =>
        Apply(new OfferAccepted(OfferAt(advisorId)!.OfferId, advisorId));

    public IReadOnlyList<RoutingDecision> Decline(Guid advisorId) =>
        Apply(new OfferDeclined(OfferAt(advisorId)!.OfferId, advisorId));

    /// <summary>Offers the contact and has the advisor accept it.</summary>
    public void Answer(Guid advisorId, Guid contactId)
    {
        Assert.Equal(contactId, OfferAt(advisorId)?.ContactId);
        Accept(advisorId);
        Assert.Equal(ContactState.Assigned, State.StateOf(contactId));
    }
}

internal static class Ids
{
    public static Guid Of(int n) => new(n, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}

internal static class DecisionListExtensions
{
    public static T Single<T>(this IReadOnlyList<RoutingDecision> decisions)
        where T : RoutingDecision => Assert.Single(decisions.OfType<T>());

    public static Rejected Rejection(this IReadOnlyList<RoutingDecision> decisions) => Assert.IsType<Rejected>(Assert.Single(decisions));
}
