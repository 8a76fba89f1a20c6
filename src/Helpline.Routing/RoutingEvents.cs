using System.Text.Json.Serialization;
using Helpline.Contracts;

namespace Helpline.Routing;

/// <summary>
/// An input to <see cref="Router.Apply"/>. The set of events is closed. Each serializes with a
/// <c>$type</c> name, so a host can journal its inputs and replay them.
/// </summary>
[JsonPolymorphic]
[JsonDerivedType(typeof(ContactArrived), nameof(ContactArrived))]
// Journals written before the event had its own name carry "CallerHungUp": the name stays for them.
[JsonDerivedType(typeof(HungUp), "CallerHungUp")]
[JsonDerivedType(typeof(ContactCompleted), nameof(ContactCompleted))]
[JsonDerivedType(typeof(ConnectFailed), nameof(ConnectFailed))]
[JsonDerivedType(typeof(AdvisorConfigured), nameof(AdvisorConfigured))]
[JsonDerivedType(typeof(AdvisorStatusRequested), nameof(AdvisorStatusRequested))]
[JsonDerivedType(typeof(OfferAccepted), nameof(OfferAccepted))]
[JsonDerivedType(typeof(OfferDeclined), nameof(OfferDeclined))]
[JsonDerivedType(typeof(WrapUpEnded), nameof(WrapUpEnded))]
[JsonDerivedType(typeof(WrapUpExtended), nameof(WrapUpExtended))]
[JsonDerivedType(typeof(Tick), nameof(Tick))]
public abstract record RoutingEvent
{
    private protected RoutingEvent()
    {
    }
}

/// <summary>
/// A call or email to route. Its entry time is <see cref="ReceivedAt"/> when given and not in the future
/// (so time spent waiting while Console was down counts), otherwise the time it is applied.
/// </summary>
public sealed record ContactArrived(Guid ContactId, ContactChannel Channel, int Priority = ContactPriority.Normal) : RoutingEvent
{
    public DateTimeOffset? ReceivedAt { get; init; }

    /// <summary>
    /// An email conversation that ended (closed) coming back with a new message from its sender: taken in
    /// again under the same id even though it ended. Only emails reopen.
    /// </summary>
    public bool Reopened { get; init; }

    /// <summary>The advisor to offer it to first whenever they can take it (a reopened conversation's owner); anyone else otherwise.</summary>
    public Guid? PreferredAdvisorId { get; init; }
}

/// <summary>
/// The caller hung up (Intake's <c>CallerHungUp</c>): abandons a waiting or
/// ringing call, completes an answered one.
/// </summary>
public sealed record HungUp(Guid ContactId) : RoutingEvent;

/// <summary>An assigned call ended or an assigned email conversation was finished.</summary>
public sealed record ContactCompleted(Guid ContactId) : RoutingEvent;

/// <summary>The telephony provider could not bridge an assigned call to its advisor.</summary>
public sealed record ConnectFailed(Guid ContactId, string Detail) : RoutingEvent;

/// <summary>Registers an advisor (Offline) or changes an existing advisor's skills and email capacity.</summary>
public sealed record AdvisorConfigured(Guid AdvisorId, Skills Skills, int? EmailCapacity = null) : RoutingEvent;

/// <summary>
/// The advisor asks for Available, Break (with a reason) or Offline. While on a call or in wrap-up the request
/// is deferred to the end of the wrap-up.
/// </summary>
public sealed record AdvisorStatusRequested(Guid AdvisorId, AdvisorStatus Status, string? Reason = null) : RoutingEvent;

public sealed record OfferAccepted(long OfferId, Guid AdvisorId) : RoutingEvent;

public sealed record OfferDeclined(long OfferId, Guid AdvisorId) : RoutingEvent;

/// <summary>The advisor ends wrap-up early.</summary>
public sealed record WrapUpEnded(Guid AdvisorId) : RoutingEvent;

/// <summary>Extends wrap-up by <see cref="By"/> (more than zero, at most 8 hours), or by <see cref="RoutingOptions.WrapUpExtension"/> when null.</summary>
public sealed record WrapUpExtended(Guid AdvisorId, TimeSpan? By = null) : RoutingEvent;

/// <summary>Fires due timers (offer timeouts, wrap-up ends, max waits). Every event does that first anyway.</summary>
public sealed record Tick : RoutingEvent
{
    public static Tick Instance { get; } = new();
}
