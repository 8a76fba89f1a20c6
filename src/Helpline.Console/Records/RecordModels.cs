using Helpline.Console.Advisors;

namespace Helpline.Console.Records;

/// <summary>The codes a record's choice fields take (the browser shows labels for them).</summary>
internal static class RecordVocabulary
{
    public static readonly IReadOnlyList<string> Relationships =
        ["exPartner", "family", "friendOrAcquaintance", "colleague", "neighbour", "stranger", "onlineOnly", "unknown"];

    public static readonly IReadOnlyList<string> ReportedToPolice = ["yes", "no", "unknown"];

    /// <summary>The caller's age group (never an exact age): what services' age limits are matched against.</summary>
    public static readonly IReadOnlyList<string> AgeGroups = ["under16", "16to17", "18to24", "25to64", "65plus"];

    public static readonly IReadOnlyList<string> Genders = ["female", "male", "nonBinary", "other"];

    public static readonly IReadOnlyList<string> Needs =
        ["information", "advocacy", "legal", "emotionalSupport", "safetyPlanning", "referral", "other"];

    public static readonly IReadOnlyList<string> Outcomes =
        ["informationGiven", "emotionalSupportGiven", "safetyPlanDiscussed", "referred", "signpostedToPolice", "advisedToDial999", "callbackArranged", "callEndedEarly", "other"];
}

/// <summary>Bounds on what a record may hold.</summary>
internal static class RecordLimits
{
    public const int MaxBodyBytes = 64 * 1024;
    public const int MaxNotesLength = 4000;
    public const int MaxSafeTimesLength = 200;
    public const int MaxEmailLength = 254;
}

/// <summary>
/// The whole record as the browser sends it on every autosave (PUT). Everything may be left
/// unanswered (null) while the advisor works; what is given must be valid. Unknown properties,
/// such as the computed ones a <see cref="RecordView"/> carries, are ignored.
/// </summary>
internal sealed record RecordDraft
{
    public FourPrompts? Four { get; init; }

    /// <summary>The advisor's overall answer: is this stalking?</summary>
    public bool? IsStalking { get; init; }

    public string? Relationship { get; init; }

    public string? ReportedToPolice { get; init; }

    public string? AgeGroup { get; init; }

    public string? Gender { get; init; }

    public RiskAnswers? RiskScreening { get; init; }

    public SafetyPreferences? Safety { get; init; }

    public AreaChoice? Area { get; init; }

    public IReadOnlyList<string>? Needs { get; init; }

    public IReadOnlyList<string>? Outcomes { get; init; }

    public string? Notes { get; init; }

    public bool Urgent { get; init; }
}

/// <summary>FOUR: is the behaviour Fixated, Obsessive, Unwanted, Repeated?</summary>
internal sealed record FourPrompts(bool? Fixated, bool? Obsessive, bool? Unwanted, bool? Repeated);

/// <summary>Answers (question id → yes/no) to a version of the risk screening questionnaire.</summary>
internal sealed record RiskAnswers(int? Version, IReadOnlyDictionary<string, bool>? Answers);

/// <summary>How the caller may (or must not) be contacted. A number or email is kept only when the caller said it is safe.</summary>
internal sealed record SafetyPreferences(bool? SafeToCallBack, string? CallbackNumber, string? SafeTimes, bool? VoicemailAllowed, bool? SafeToEmail, string? Email);

/// <summary>
/// The caller's area: an ONS local authority district code (LAD19) and/or police force area code
/// (PFA19), and, when a postcode look-up found them, the postcode's outward code (never the whole postcode).
/// </summary>
internal sealed record AreaChoice(string? LocalAuthorityCode, string? PoliceForceCode, string? OutwardCode = null);

/// <summary>A record as stored, with what the server computed (risk score and band, area names).</summary>
internal sealed record RecordView(
    Guid ContactId,
    int Revision,
    DateTimeOffset? UpdatedAt,
    FourPrompts Four,
    bool? IsStalking,
    string? Relationship,
    string? ReportedToPolice,
    string? AgeGroup,
    string? Gender,
    RiskResult RiskScreening,
    SafetyPreferences Safety,
    AreaView Area,
    IReadOnlyList<string> Needs,
    IReadOnlyList<string> Outcomes,
    string? Notes,
    bool Urgent)
{
    /// <summary>The flag standing on the contact's caller (suspected perpetrator posing as a victim), or null.</summary>
    public CallerFlagNotice? CallerFlag { get; init; }
}

/// <summary>Stored answers with the questionnaire they were given in, and the server's score and band (null when nothing was answered).</summary>
internal sealed record RiskResult(string QuestionnaireId, int Version, IReadOnlyDictionary<string, bool> Answers, int? Score, string? Band);

internal sealed record AreaView(string? LocalAuthorityCode, string? LocalAuthorityName, string? PoliceForceCode, string? PoliceForceName, string? OutwardCode);

/// <summary>Earlier contacts from the same caller (same keyed hash of the number), newest first.</summary>
internal sealed record ContactHistory(bool Withheld, int Count, IReadOnlyList<EarlierContact> Contacts)
{
    /// <summary>The caller is flagged, so their earlier contacts are not shown to advisors (Count is 0, Contacts empty).</summary>
    public bool HiddenByFlag { get; init; }
}

/// <summary>What any advisor may see of an earlier contact: no notes, no personal details.</summary>
internal sealed record EarlierContact(DateTimeOffset ReceivedAt, string Channel, string Status, IReadOnlyList<string> Outcomes, bool Urgent, string? RiskBand);

/// <summary>One match of an area search.</summary>
internal sealed record AreaMatch(AreaKind Kind, string Code, string Name, string PoliceForceCode, string PoliceForceName);
