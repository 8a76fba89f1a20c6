namespace Helpline.Console.Records;

/// <summary>
/// An advisor turned on a contact's urgent flag. Written to the outbox with the record's save and
/// delivered by every Console instance to the supervisors connected to it. Carries no personal data.
/// </summary>
public sealed record UrgentContactRaised
{
    public required Guid ContactId { get; init; }

    public required Guid AdvisorId { get; init; }

    public required DateTimeOffset At { get; init; }
}
