using Helpline.Console.Advisors;

namespace Helpline.Console.Safety;

/// <summary>An advisor's flag on the caller of a contact they are on or completed.</summary>
internal sealed record FlagRequest(string? Reason);

/// <summary>A supervisor's decision on a flag: <c>Confirmed</c> or <c>Dismissed</c>.</summary>
internal sealed record ReviewRequest(string? Decision);

/// <summary>What a contact's caller-safety panel shows: whether the number was withheld (nothing to flag by) and the standing flag.</summary>
internal sealed record CallerSafetyView(bool Withheld, CallerFlagNotice? Flag);

/// <summary>A flag as supervisors review it: who raised it, on which contact, and any review so far. Never the number.</summary>
internal sealed record FlagReview(
    Guid FlagId,
    Guid ContactId,
    string Reason,
    string Status,
    string? RaisedBy,
    DateTimeOffset RaisedAt,
    DateTimeOffset ExpiresAt,
    string? ReviewedBy,
    DateTimeOffset? ReviewedAt,
    int LaterContacts);
