using Helpline.Contracts;

namespace Helpline.Routing;

/// <summary>An outcome of <see cref="Router.Apply"/>, for the host to persist and carry out, in list order.</summary>
public abstract record RoutingDecision
{
    private protected RoutingDecision(DateTimeOffset at)
    {
        At = at;
    }

    public DateTimeOffset At { get; }
}

/// <summary>The contact joined the queue of its channel.</summary>
public sealed record ContactQueued(Guid ContactId, ContactChannel Channel, int Priority, DateTimeOffset EnteredAt, DateTimeOffset At)
    : RoutingDecision(At);

/// <summary>Ring the advisor with the contact until <see cref="ExpiresAt"/>.</summary>
public sealed record OfferMade(long OfferId, Guid ContactId, Guid AdvisorId, ContactChannel Channel, DateTimeOffset ExpiresAt, DateTimeOffset At)
    : RoutingDecision(At);

/// <summary>The offer stopped ringing. The contact waits again at its place unless a <see cref="ContactEnded"/> follows.</summary>
public sealed record OfferWithdrawn(long OfferId, Guid ContactId, Guid AdvisorId, OfferEndReason Reason, DateTimeOffset At)
    : RoutingDecision(At);

/// <summary>The advisor accepted: connect the call, or hand over the email conversation.</summary>
public sealed record ContactAssigned(Guid ContactId, Guid AdvisorId, long OfferId, ContactChannel Channel, TimeSpan WaitTime, DateTimeOffset At)
    : RoutingDecision(At);

/// <summary>An assignment was taken back from the advisor (tell the advisor why); the contact is requeued.</summary>
public sealed record AssignmentUndone(Guid ContactId, Guid AdvisorId, UndoReason Reason, string? Detail, DateTimeOffset At)
    : RoutingDecision(At);

/// <summary>The contact waits again, at its original place in the queue.</summary>
public sealed record ContactRequeued(Guid ContactId, ContactChannel Channel, DateTimeOffset At) : RoutingDecision(At);

/// <summary>
/// The contact's one terminal outcome. <see cref="WaitTime"/> runs from its entry time to its answer (Completed)
/// or to its end (otherwise).
/// </summary>
public sealed record ContactEnded(
    Guid ContactId,
    ContactChannel Channel,
    ContactOutcome Outcome,
    TimeSpan WaitTime,
    Guid? AdvisorId,
    OverflowReason? Overflow,
    DateTimeOffset At) : RoutingDecision(At);

/// <summary>Every change of an advisor's status; <see cref="Reason"/> is the break reason for Break, otherwise null.</summary>
public sealed record AdvisorStatusChanged(Guid AdvisorId, AdvisorStatus Status, string? Reason, DateTimeOffset At)
    : RoutingDecision(At);

/// <summary>A status request that takes effect when the advisor's call and wrap-up are over (Available cancels an earlier one).</summary>
public sealed record AdvisorStatusDeferred(Guid AdvisorId, AdvisorStatus Status, string? Reason, DateTimeOffset At)
    : RoutingDecision(At);

/// <summary>The advisor's wrap-up now ends at <see cref="EndsAt"/> (at its start and after each extension).</summary>
public sealed record WrapUpScheduled(Guid AdvisorId, DateTimeOffset EndsAt, DateTimeOffset At) : RoutingDecision(At);

/// <summary>The event was refused and changed nothing.</summary>
public sealed record Rejected(RejectionCode Code, string Message, RoutingEvent Event, DateTimeOffset At) : RoutingDecision(At);
