using System.Text.Json.Serialization;
using Helpline.Console.Advisors;
using Helpline.Routing;

namespace Helpline.Console.RouterHosting;

/// <summary>
/// What an advisor asked for (over the hub, or by signing out), or an admin for them. The set is
/// closed: only the records nested here exist, each carrying exactly what it needs, so a command of a
/// kind Console does not know cannot even be read. Each serializes with a <c>$type</c> name.
/// </summary>
[JsonPolymorphic]
[JsonDerivedType(typeof(SetStatus), nameof(SetStatus))]
[JsonDerivedType(typeof(AcceptOffer), nameof(AcceptOffer))]
[JsonDerivedType(typeof(DeclineOffer), nameof(DeclineOffer))]
[JsonDerivedType(typeof(ExtendWrapUp), nameof(ExtendWrapUp))]
[JsonDerivedType(typeof(EndWrapUp), nameof(EndWrapUp))]
[JsonDerivedType(typeof(CompleteContact), nameof(CompleteContact))]
[JsonDerivedType(typeof(ReloadProfile), nameof(ReloadProfile))]
internal abstract record AdvisorCommand
{
    private AdvisorCommand(Guid advisorId)
    {
        AdvisorId = advisorId;
    }

    /// <summary>The advisor the command is for: the signed-in user, never a parameter from the client.</summary>
    public Guid AdvisorId { get; }

    /// <summary>Available, Break (with a reason) or Offline.</summary>
    public sealed record SetStatus(Guid AdvisorId, AdvisorStatus Status, string? Reason) : AdvisorCommand(AdvisorId);

    public sealed record AcceptOffer(Guid AdvisorId, long OfferId) : AdvisorCommand(AdvisorId);

    public sealed record DeclineOffer(Guid AdvisorId, long OfferId) : AdvisorCommand(AdvisorId);

    public sealed record ExtendWrapUp(Guid AdvisorId) : AdvisorCommand(AdvisorId);

    public sealed record EndWrapUp(Guid AdvisorId) : AdvisorCommand(AdvisorId);

    /// <summary>The advisor finished the call or email conversation assigned to them.</summary>
    public sealed record CompleteContact(Guid AdvisorId, Guid ContactId) : AdvisorCommand(AdvisorId);

    /// <summary>An admin changed the advisor's skills or email capacity: the router reloads them.</summary>
    public sealed record ReloadProfile(Guid AdvisorId) : AdvisorCommand(AdvisorId);
}

/// <summary>
/// An advisor's command sent by a Console instance that is not routing to the routing queue, where the
/// one active router applies it and answers with <see cref="AdvisorCommandResult"/>.
/// </summary>
internal sealed record AdvisorCommandRequest
{
    public required AdvisorCommand Command { get; init; }
}

/// <summary>The router's answer: applied, or refused with a code and a sentence for the advisor.</summary>
internal sealed record AdvisorCommandResult
{
    public required bool Applied { get; init; }
    public string? Code { get; init; }
    public string? Message { get; init; }
}

/// <summary>The router's own timer firing: sent to the routing queue so it is applied in order with everything else.</summary>
internal sealed record RoutingTick
{
    public required DateTimeOffset DueAt { get; init; }
}

/// <summary>
/// What advisors must be told after a transition. Published once; every Console instance receives it
/// on a queue of its own and delivers to the advisors connected to it (RabbitMQ as the SignalR backplane).
/// </summary>
internal sealed record AdvisorNotifications
{
    public required IReadOnlyList<AdvisorNotification> Items { get; init; }
}

/// <summary>One message for one advisor: exactly one of the payloads is set.</summary>
internal sealed record AdvisorNotification
{
    public required Guid AdvisorId { get; init; }
    public StatusChangedNotice? StatusChanged { get; init; }
    public ContactOfferedNotice? ContactOffered { get; init; }
    public OfferWithdrawnNotice? OfferWithdrawn { get; init; }
    public ContactAssignedNotice? ContactAssigned { get; init; }
    public AssignmentUndoneNotice? AssignmentUndone { get; init; }
    public WrapUpScheduledNotice? WrapUpScheduled { get; init; }
    public ContactEndedNotice? ContactEnded { get; init; }
}
