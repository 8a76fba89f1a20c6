namespace Helpline.ServiceDefaults.Faults;

/// <summary>
/// What one service holds in its dead-letter places, published after every count (<see cref="DeadLetterOptions.PollInterval"/>)
/// for the supervisors' and admins' list in Console. Places, reasons and counts only: never a message's content.
/// </summary>
public sealed record DeadLettersCounted
{
    /// <summary>The service (its application name, e.g. <c>Helpline.Intake</c>).</summary>
    public required string Service { get; init; }

    public required DateTimeOffset At { get; init; }

    /// <summary>Every place holding something, with the reason where the place keeps one.</summary>
    public required IReadOnlyList<DeadLetterCount> Held { get; init; }
}
