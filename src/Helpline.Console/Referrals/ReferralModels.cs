namespace Helpline.Console.Referrals;

/// <summary>The caller's consent as the advisor records it: with which service, and which fields may be shared.</summary>
internal sealed record ConsentRequest(string? ServiceId, IReadOnlyList<string>? Fields);

internal sealed record ConsentView(
    Guid Id,
    string ServiceId,
    IReadOnlyList<string> Fields,
    DateTimeOffset GivenAt,
    Guid RecordedBy,
    DateTimeOffset? WithdrawnAt,
    Guid? WithdrawnBy,
    bool InForce)
{
    public static ConsentView From(ReferralConsent consent)
    {
        ArgumentNullException.ThrowIfNull(consent);
        return new(consent.Id, consent.ServiceId, consent.Fields, consent.GivenAt, consent.RecordedBy, consent.WithdrawnAt, consent.WithdrawnBy, consent.WithdrawnAt is null);
    }
}

/// <summary>A referral to make (or to preview): the service, and what the service's field list may ask to be typed for it.</summary>
internal sealed record ReferralRequest(string? ServiceId, string? Name, string? Summary);

/// <summary>
/// What a referral would carry, shown to the advisor before sending: the fields and their values
/// (the only ones sent), the email's text or the number to ring, and why the server would refuse it.
/// </summary>
internal sealed record ReferralPreview(
    string ServiceId,
    string ServiceName,
    string Method,
    string? To,
    string? Phone,
    IReadOnlyList<ReferralField> Fields,
    string? Subject,
    string? Body,
    IReadOnlyList<string> Refusals);

/// <summary>A step in a referral's lifecycle: <c>accepted</c>, <c>rejected</c> (reason), <c>withdrawn</c>, or <c>done</c> (successful, reason).</summary>
internal sealed record StatusChange(string? Status, bool? Successful, string? Reason);

internal sealed record ReferralStep(string Type, DateTimeOffset At, Guid? ActorId, string? ActorName, string? Reason, bool? Successful);

internal sealed record ReferralView(
    Guid Id,
    Guid ContactId,
    string ServiceId,
    string ServiceName,
    string Scope,
    string Method,
    string Status,
    IReadOnlyList<string> Fields,
    DateTimeOffset MadeAt,
    Guid MadeBy,

    // When the next step is due (an answer from the service, or the end of the work); null once closed.
    DateTimeOffset? DueAt,
    bool Overdue,
    bool? Successful,
    string? Reason,
    string? EmailStatus,
    int Version,
    IReadOnlyList<ReferralStep> Steps);

internal sealed record ContactReferrals(IReadOnlyList<ConsentView> Consents, IReadOnlyList<ReferralView> Referrals);
