using Helpline.Console.Advisors;
using Helpline.Routing;

namespace Helpline.Console.Routing;

/// <summary>What an advisor asked for over the hub.</summary>
public enum AdvisorCommandKind
{
    SetStatus = 0,
    AcceptOffer = 1,
    DeclineOffer = 2,
    ExtendWrapUp = 3,
    EndWrapUp = 4,
    CompleteContact = 5,

    /// <summary>An admin changed the advisor's skills or email capacity: the router reloads them.</summary>
    Configure = 6,
}

/// <summary>
/// An advisor's action, sent by whichever Console instance holds the advisor's connection to the
/// routing queue, where the one active router applies it and answers with <see cref="AdvisorCommandResult"/>.
/// </summary>
public sealed record AdvisorCommand
{
    public required Guid AdvisorId { get; init; }
    public required AdvisorCommandKind Kind { get; init; }
    public AdvisorStatus? Status { get; init; }
    public string? Reason { get; init; }
    public long? OfferId { get; init; }
    public Guid? ContactId { get; init; }
}

/// <summary>The router's answer: applied, or refused with a code and a sentence for the advisor.</summary>
public sealed record AdvisorCommandResult
{
    public required bool Applied { get; init; }
    public string? Code { get; init; }
    public string? Message { get; init; }
}

/// <summary>The router's own timer firing: sent to the routing queue so it is applied in order with everything else.</summary>
public sealed record RoutingTick
{
    public required DateTimeOffset DueAt { get; init; }
}

/// <summary>
/// What advisors must be told after a transition. Published once; every Console instance receives it
/// on a queue of its own and delivers to the advisors connected to it (RabbitMQ as the SignalR backplane).
/// </summary>
public sealed record AdvisorNotifications
{
    public required IReadOnlyList<AdvisorNotification> Items { get; init; }
}

/// <summary>One message for one advisor: exactly one of the payloads is set.</summary>
public sealed record AdvisorNotification
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
