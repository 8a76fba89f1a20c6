using Helpline.Console.Records;

namespace Helpline.Console.Directory;

/// <summary>The codes a service's fields take (docs/directory.md, "The service model").</summary>
internal static class DirectoryVocabulary
{
    /// <summary>The relationships a service may restrict itself to: the record's, less "unknown".</summary>
    public static readonly IReadOnlyList<string> Relationships = [.. RecordVocabulary.Relationships.Where(r => r != "unknown")];

    /// <summary>Shorthands accepted wherever a relationship list is (CSV import, the API), and given back when a list is one of them.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> RelationshipPresets = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        ["any"] = [],
        ["exPartnerOnly"] = ["exPartner"],
        ["nonPartnerOnly"] = [.. Relationships.Where(r => r != "exPartner")],
    };

    public static readonly IReadOnlyList<string> Genders = ["female", "male", "nonBinary"];

    /// <summary>The record's age groups (<see cref="RecordVocabulary.AgeGroups"/>) with the years each spans.</summary>
    public static readonly IReadOnlyList<AgeGroup> AgeGroups =
    [
        new("under16", 0, 15),
        new("16to17", 16, 17),
        new("18to24", 18, 24),
        new("25to64", 25, 64),
        new("65plus", 65, AgeGroup.Oldest),
    ];

    public const string SecureEmail = "secureEmail";
    public const string Phone = "phone";
    public const string SelfReferralOnly = "selfReferralOnly";

    public static readonly IReadOnlyList<string> ReferralMethods = [SecureEmail, Phone, SelfReferralOnly];

    public const string Accepting = "accepting";
    public const string WaitingList = "waitingList";
    public const string Closed = "closed";

    public static readonly IReadOnlyList<string> Statuses = [Accepting, WaitingList, Closed];

    /// <summary>ONS country codes: a service covering one is national (for that nation).</summary>
    public const string England = "E92000001";
    public const string Wales = "W92000004";

    public static readonly IReadOnlyDictionary<string, string> Nations = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [England] = "England",
        [Wales] = "Wales",
    };

    /// <summary>The nation a force area or local authority lies in, from its ONS code's first letter.</summary>
    public static string? NationOf(string? code) => code switch
    {
        ['E', ..] => England,
        ['W', ..] => Wales,
        _ => null,
    };

    /// <summary>
    /// What a referral can carry, in the order an email lists them. Each service names the ones it
    /// needs (its field list); a referral sends those and nothing else, and only with the caller's
    /// consent to each. <c>name</c> and <c>summary</c> are typed for the referral; the rest come from the record.
    /// </summary>
    public static readonly IReadOnlyList<string> ReferralFields =
        ["name", "callbackNumber", "safeTimes", "voicemailAllowed", "email", "area", "ageGroup", "gender", "relationship", "riskBand", "reportedToPolice", "needs", "summary"];

    public static AgeGroup? AgeGroupOf(string? id) => AgeGroups.FirstOrDefault(g => g.Id == id);
}

/// <summary>An age group and the whole years it spans (inclusive).</summary>
internal sealed record AgeGroup(string Id, int From, int To)
{
    public const int Oldest = 150;
}
