namespace Helpline.Contracts;

/// <summary>Why a call was not answered, as docs/domain.md defines the reasons.</summary>
public enum UnansweredReason
{
    OutOfHours = 0,
    NoAdvisors = 1,
    Overflow = 2,
    Abandoned = 3,
}

/// <summary>Who ended an answered call.</summary>
public enum CallEndedBy
{
    Caller = 0,
    Advisor = 1,
    Provider = 2,
}

// ---- Intake → Console -------------------------------------------------------------------

/// <summary>
/// A call Intake recorded but did not queue (it arrived out of hours). Console records it for
/// reporting; no advisor is involved.
/// </summary>
public sealed record CallNotQueued
{
    public required Guid ContactId { get; init; }
    public required UnansweredReason Reason { get; init; }
    public required string ProviderReference { get; init; }
    public string? CallerKey { get; init; }
    public required DateTimeOffset ReceivedAt { get; init; }
}

/// <summary>The caller hung up before the call was answered (while queued or ringing).</summary>
public sealed record CallerHungUp
{
    public required Guid ContactId { get; init; }
    public required DateTimeOffset At { get; init; }

    /// <summary>A short abandon: the caller hung up within Intake's <c>Calls:ShortAbandonThreshold</c> of the call arriving (still unanswered, reported apart).</summary>
    public bool ShortAbandon { get; init; }
}

/// <summary>The provider bridged the held call to the advisor: the call is answered.</summary>
public sealed record CallConnected
{
    public required Guid ContactId { get; init; }
    public required Guid AdvisorId { get; init; }
    public required DateTimeOffset At { get; init; }
}

/// <summary>The provider could not bridge the call; Console puts it back in the queue with its place.</summary>
public sealed record CallConnectFailed
{
    public required Guid ContactId { get; init; }
    public required Guid AdvisorId { get; init; }

    /// <summary>What went wrong, for the advisor (no caller data).</summary>
    public required string Detail { get; init; }

    public required DateTimeOffset At { get; init; }
}

/// <summary>An answered call ended.</summary>
public sealed record CallEnded
{
    public required Guid ContactId { get; init; }
    public required CallEndedBy EndedBy { get; init; }
    public required DateTimeOffset At { get; init; }
}

/// <summary>
/// A caller turned away (Overflow) consented to be called back. Carries no number: Intake keeps it
/// encrypted and gives it only to the code that places the callback.
/// </summary>
public sealed record CallbackRequested
{
    public required Guid ContactId { get; init; }
    public required DateTimeOffset RequestedAt { get; init; }
}

// ---- Console → Intake -------------------------------------------------------------------

/// <summary>An advisor accepted the call: bridge the held call to the advisor's endpoint.</summary>
public sealed record ConnectCall
{
    public required Guid ContactId { get; init; }
    public required Guid AdvisorId { get; init; }

    /// <summary>Where the advisor answers: <c>client:identity</c> (a Twilio Client) or an E.164 number.</summary>
    public required string AdvisorEndpoint { get; init; }
}

/// <summary>The router will not queue this call (nobody signed in, queue full, waited too long): play the message and end it.</summary>
public sealed record TurnAwayCall
{
    public required Guid ContactId { get; init; }
    public required UnansweredReason Reason { get; init; }
}

/// <summary>
/// Queued calls' places, for hold messages: every call whose place changed since the previous
/// announcement, in one message (at most one a second; with a long queue every offer moves everyone).
/// </summary>
public sealed record CallQueuePositions
{
    public required IReadOnlyList<CallQueuePosition> Calls { get; init; }
    public required DateTimeOffset At { get; init; }
}

/// <summary>One queued call's place: 0 = ringing at an advisor, 1 = next, and so on.</summary>
public sealed record CallQueuePosition
{
    public required Guid ContactId { get; init; }
    public required int Position { get; init; }
    public TimeSpan? EstimatedWait { get; init; }
}

/// <summary>
/// The advisor completed the call in the console: Intake records it Completed (ended by the advisor)
/// and asks the provider to hang up if the call is still live. A call that already ended is left as it is.
/// </summary>
public sealed record EndCall
{
    public required Guid ContactId { get; init; }
    public required Guid AdvisorId { get; init; }
    public required DateTimeOffset At { get; init; }
}
