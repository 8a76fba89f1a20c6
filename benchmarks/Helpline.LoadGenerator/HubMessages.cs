namespace Helpline.LoadGenerator;

// What Console's /hubs/advisor sends (src/Helpline.Console/Advisors/AdvisorHubContract.cs), with only
// the fields the generator reads. Enums arrive as strings.

internal sealed record StatusChanged(string Status, string? Reason, bool Deferred);

internal sealed record ContactOffered(long OfferId, Guid ContactId, string Channel, DateTimeOffset ExpiresAt);

internal sealed record OfferWithdrawn(long OfferId, Guid ContactId, string Reason);

internal sealed record ContactAssigned(long OfferId, Guid ContactId, string Channel);

internal sealed record AssignmentUndone(Guid ContactId, string Reason);

internal sealed record WrapUpScheduled(DateTimeOffset EndsAt);

internal sealed record ContactEnded(Guid ContactId, string Outcome);

/// <summary>A message from the hub, stamped with <see cref="System.Diagnostics.Stopwatch.GetTimestamp"/> as it arrived.</summary>
internal readonly record struct HubMessage(object Payload, long ReceivedAt);

/// <summary>Advisor statuses as the hub spells them.</summary>
internal static class AdvisorStatus
{
    public const string Available = "Available";
    public const string Break = "Break";
    public const string Offline = "Offline";

    /// <summary>The router's reason when it puts an advisor on a break after consecutive missed offers.</summary>
    public const string MissedOffers = "missed offers";

    /// <summary>Not holding or being offered anything.</summary>
    public static bool IsIdle(string? status) => status is null or Available or Break or Offline;
}
