namespace Helpline.Routing;

[Flags]
public enum Skills
{
    None = 0,
    Calls = 1,
    Emails = 2,
    CallsAndEmails = Calls | Emails,
}

public enum AdvisorStatus
{
    Offline = 0,
    Available = 1,

    /// <summary>A live offer is ringing at the advisor.</summary>
    Offered = 2,

    /// <summary>On a call, or holding as many emails as the advisor can take and unable to take a call.</summary>
    OnContact = 3,

    WrapUp = 4,
    Break = 5,
}

/// <summary>Where a contact the router still holds is. Ended contacts are forgotten after a while.</summary>
public enum ContactState
{
    Waiting = 0,
    Offered = 1,
    Assigned = 2,
    Ended = 3,
}

/// <summary>The one terminal outcome of every contact.</summary>
public enum ContactOutcome
{
    Completed = 0,
    Abandoned = 1,
    Overflow = 2,
    NoAdvisors = 3,
}

public enum OverflowReason
{
    QueueFull = 0,
    MaxWaitReached = 1,
}

public enum OfferEndReason
{
    Declined = 0,
    TimedOut = 1,
    CallerHungUp = 2,

    /// <summary>The advisor went on break or signed out while the offer was ringing.</summary>
    AdvisorUnavailable = 3,
}

public enum UndoReason
{
    /// <summary>The telephony provider could not bridge the call to the advisor.</summary>
    ConnectFailed = 0,

    /// <summary>The advisor signed out holding open emails; they go back to the queue.</summary>
    AdvisorSignedOut = 1,
}

public enum AdvisorSelection
{
    /// <summary>The eligible advisor who has been Available longest (or finished a contact longest ago).</summary>
    LongestIdle = 0,

    /// <summary>The next eligible advisor after the one last offered a contact of the channel, in registration order.</summary>
    RoundRobin = 1,
}

public enum RejectionCode
{
    UnknownAdvisor = 0,
    UnknownContact = 1,
    ContactAlreadyEnded = 2,
    DuplicateContact = 3,
    UnknownOffer = 4,

    /// <summary>The offer timed out before the advisor answered it.</summary>
    OfferExpired = 5,

    /// <summary>The offer was accepted, declined or withdrawn already (or ended before a restart).</summary>
    OfferNotLive = 6,

    OfferBelongsToAnotherAdvisor = 7,
    InvalidStatus = 8,
    InvalidChannel = 9,
    InvalidSkills = 10,
    InvalidCapacity = 11,
    InvalidDuration = 12,
    WrongChannel = 13,
    ContactNotAssigned = 14,
    NotInWrapUp = 15,
}

/// <summary>Conventional priorities: a higher number is served first.</summary>
public static class ContactPriority
{
    public const int Normal = 0;
    public const int Callback = 10;
    public const int HighRisk = 10;
    public const int Urgent = 20;
}
