using Helpline.Contracts;
using Helpline.Routing;

namespace Helpline.Console.Advisors;

/// <summary>
/// What the server calls on an advisor's browser (or any SignalR client) at <c>/hubs/advisor</c>. Public, with
/// its payloads, because SignalR implements it in an assembly of its own; everything else is internal.
/// </summary>
public interface IAdvisorClient
{
    Task StatusChanged(StatusChangedNotice status);

    Task ContactOffered(ContactOfferedNotice offer);

    Task OfferWithdrawn(OfferWithdrawnNotice withdrawal);

    Task ContactAssigned(ContactAssignedNotice assignment);

    Task AssignmentUndone(AssignmentUndoneNotice undone);

    Task WrapUpScheduled(WrapUpScheduledNotice wrapUp);

    Task ContactEnded(ContactEndedNotice ended);
}

/// <summary>The advisor's state changed (or a requested change was deferred until the current contact ends).</summary>
public sealed record StatusChangedNotice(AdvisorStatus Status, string? Reason, bool Deferred, DateTimeOffset At);

/// <summary>
/// A contact rings at this advisor until <paramref name="ExpiresAt"/>. Carries no caller data beyond
/// whether the number was withheld and, when the caller is flagged, the flag (never the number).
/// </summary>
public sealed record ContactOfferedNotice(long OfferId, Guid ContactId, ContactChannel Channel, DateTimeOffset ReceivedAt, DateTimeOffset ExpiresAt, bool Withheld)
{
    /// <summary>The standing flag on this caller (suspected perpetrator posing as a victim), or null.</summary>
    public CallerFlagNotice? CallerFlag { get; init; }
}

/// <summary>
/// A standing flag on a caller: suspected of being a perpetrator posing as a victim. Status is Pending
/// (not yet reviewed by a supervisor) or Confirmed; the reason is the advisor's.
/// </summary>
public sealed record CallerFlagNotice(Guid FlagId, string Reason, string Status, DateTimeOffset RaisedAt, DateTimeOffset ExpiresAt);

/// <summary>The offer stopped ringing: Declined, TimedOut, CallerHungUp or AdvisorUnavailable.</summary>
public sealed record OfferWithdrawnNotice(long OfferId, Guid ContactId, string Reason, DateTimeOffset At);

/// <summary>The advisor has the contact (for a call, the phone is being connected).</summary>
public sealed record ContactAssignedNotice(long OfferId, Guid ContactId, ContactChannel Channel, TimeSpan WaitTime, DateTimeOffset At);

/// <summary>The assignment was undone (the call could not be connected, or the advisor signed out); the contact went back to the queue.</summary>
public sealed record AssignmentUndoneNotice(Guid ContactId, string Reason, string? Detail, DateTimeOffset At);

/// <summary>Wrap-up runs until <paramref name="EndsAt"/>.</summary>
public sealed record WrapUpScheduledNotice(DateTimeOffset EndsAt, DateTimeOffset At);

/// <summary>The advisor's contact ended (Completed, or Abandoned while it rang).</summary>
public sealed record ContactEndedNotice(Guid ContactId, string Outcome, DateTimeOffset At);
