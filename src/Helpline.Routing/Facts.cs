using Helpline.Contracts;

namespace Helpline.Routing;

/// <summary>
/// The persisted facts a <see cref="RouterState"/> is rebuilt from (<see cref="RouterState.Restore"/>) and that
/// <see cref="RouterState.ToSnapshot"/> produces.
/// </summary>
public sealed record RouterSnapshot
{
    /// <summary>Every contact not yet ended, in arrival order (the order breaks ties of equal entry time).</summary>
    public IReadOnlyList<ContactFact> Contacts { get; init; } = [];

    /// <summary>Every configured advisor, in registration order (the order breaks ties in advisor choice).</summary>
    public IReadOnlyList<AdvisorFact> Advisors { get; init; } = [];

    /// <summary>Greater than every offer id ever issued (the host can use its highest persisted offer id + 1).</summary>
    public long NextOfferId { get; init; } = 1;

    /// <summary>The router's clock: time never goes back behind it.</summary>
    public DateTimeOffset AsOf { get; init; }

    /// <summary>Round robin position for calls: the advisor last offered a call.</summary>
    public Guid? LastCallOfferedTo { get; init; }

    /// <summary>Round robin position for emails: the advisor last offered an email.</summary>
    public Guid? LastEmailOfferedTo { get; init; }

    /// <summary>Recent call handle times (talk + wrap-up), oldest first, for wait estimates.</summary>
    public IReadOnlyList<TimeSpan> RecentCallHandleTimes { get; init; } = [];

    /// <summary>Recent email handle times (accepted to completed), oldest first, for wait estimates.</summary>
    public IReadOnlyList<TimeSpan> RecentEmailHandleTimes { get; init; } = [];
}

/// <summary>
/// A contact the router holds. It is Offered when an advisor's <see cref="AdvisorFact.LiveOffer"/> names it,
/// Assigned when an advisor's current call or open emails name it, and Waiting otherwise.
/// </summary>
public sealed record ContactFact(Guid ContactId, ContactChannel Channel, int Priority, DateTimeOffset EnteredAt)
{
    /// <summary>When the advisor now holding it accepted it; required for assigned contacts only.</summary>
    public DateTimeOffset? AssignedAt { get; init; }

    /// <summary>Advisors who declined, missed or failed to connect it: others are preferred for it.</summary>
    public IReadOnlyList<Guid> TriedBy { get; init; } = [];
}

public sealed record OfferFact(long OfferId, Guid ContactId, DateTimeOffset OfferedAt, DateTimeOffset ExpiresAt);

public sealed record AdvisorFact(Guid AdvisorId, Skills Skills, int EmailCapacity, AdvisorStatus Status)
{
    /// <summary>Break reason, when <see cref="Status"/> is Break.</summary>
    public string? BreakReason { get; init; }

    /// <summary>When the advisor last became Available or finished a contact.</summary>
    public DateTimeOffset IdleSince { get; init; }

    public int ConsecutiveMissedOffers { get; init; }

    public Guid? CurrentCall { get; init; }

    public IReadOnlyList<Guid> OpenEmails { get; init; } = [];

    public OfferFact? LiveOffer { get; init; }

    public DateTimeOffset? WrapUpEndsAt { get; init; }

    /// <summary>When the current or just-ended call was accepted, for the handle time measured at wrap-up end.</summary>
    public DateTimeOffset? HandleStartedAt { get; init; }

    /// <summary>A status requested during a call or wrap-up, applied when the wrap-up ends.</summary>
    public AdvisorStatus? PendingStatus { get; init; }

    public string? PendingReason { get; init; }
}

/// <summary>
/// A contact in a queue. <see cref="Position"/> is 1-based among the waiting contacts of its channel, 0 while it
/// rings (<see cref="OfferedTo"/>). <see cref="EstimatedWait"/> is null when nobody who could take it is signed in.
/// </summary>
public sealed record QueueEntry(
    Guid ContactId,
    ContactChannel Channel,
    int Priority,
    DateTimeOffset EnteredAt,
    TimeSpan Waited,
    int Position,
    TimeSpan? EstimatedWait,
    Guid? OfferedTo);
