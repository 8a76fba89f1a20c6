using Helpline.Contracts;
using Helpline.Routing;

namespace Helpline.Console.Advisors;

/// <summary>What the server calls on an advisor's browser (or any SignalR client) at <c>/hubs/advisor</c>.</summary>
public interface IAdvisorClient
{
    Task StatusChanged(StatusChanged status);

    Task ContactOffered(ContactOffered offer);

    Task OfferWithdrawn(OfferWithdrawn withdrawal);

    Task ContactAssigned(ContactAssigned assignment);

    Task AssignmentUndone(AssignmentUndone undone);

    Task WrapUpScheduled(WrapUpScheduled wrapUp);

    Task ContactEnded(ContactEnded ended);
}

/// <summary>The advisor's state changed (or a requested change was deferred until the current contact ends).</summary>
public sealed record StatusChanged(AdvisorStatus Status, string? Reason, bool Deferred, DateTimeOffset At);

/// <summary>A contact rings at this advisor until <paramref name="ExpiresAt"/>. Carries no caller data beyond whether the number was withheld.</summary>
public sealed record ContactOffered(long OfferId, Guid ContactId, ContactChannel Channel, DateTimeOffset ReceivedAt, DateTimeOffset ExpiresAt, bool Withheld);

/// <summary>The offer stopped ringing: Declined, TimedOut, CallerHungUp or AdvisorUnavailable.</summary>
public sealed record OfferWithdrawn(long OfferId, Guid ContactId, string Reason, DateTimeOffset At);

/// <summary>The advisor has the contact (for a call, the phone is being connected).</summary>
public sealed record ContactAssigned(long OfferId, Guid ContactId, ContactChannel Channel, TimeSpan WaitTime, DateTimeOffset At);

/// <summary>The assignment was undone (the call could not be connected, or the advisor signed out); the contact went back to the queue.</summary>
public sealed record AssignmentUndone(Guid ContactId, string Reason, string? Detail, DateTimeOffset At);

/// <summary>Wrap-up runs until <paramref name="EndsAt"/>.</summary>
public sealed record WrapUpScheduled(DateTimeOffset EndsAt, DateTimeOffset At);

/// <summary>The advisor's contact ended (Completed, or Abandoned while it rang).</summary>
public sealed record ContactEnded(Guid ContactId, string Outcome, DateTimeOffset At);
