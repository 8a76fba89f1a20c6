namespace Helpline.Contracts;

// ---- Console → Intake -------------------------------------------------------------------

/// <summary>
/// A supervisor added a special closure (a training afternoon): calls arriving in it are out of hours.
/// Closures are never edited, only added and cancelled, so Intake applies these by <see cref="ClosureId"/>
/// in any order: a closure already cancelled is not scheduled again by a late redelivery.
/// </summary>
public sealed record SpecialClosureScheduled
{
    public required Guid ClosureId { get; init; }
    public required DateTimeOffset StartsAt { get; init; }
    public required DateTimeOffset EndsAt { get; init; }

    /// <summary>Why the helpline is closed, for supervisors (never caller data).</summary>
    public required string Reason { get; init; }
}

/// <summary>A supervisor cancelled a special closure. Carries the whole closure, so it can arrive before its <see cref="SpecialClosureScheduled"/>.</summary>
public sealed record SpecialClosureCancelled
{
    public required Guid ClosureId { get; init; }
    public required DateTimeOffset StartsAt { get; init; }
    public required DateTimeOffset EndsAt { get; init; }
    public required string Reason { get; init; }
    public required DateTimeOffset CancelledAt { get; init; }
}
