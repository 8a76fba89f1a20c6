using System.Globalization;
using System.Text;
using Helpline.Console.Directory;
using Helpline.Console.Records;

namespace Helpline.Console.Referrals;

/// <summary>One field a referral carries: its code, its label and the value that will be sent.</summary>
internal sealed record ReferralField(string Field, string Label, string Value);

/// <summary>
/// What a referral to a service carries, built from the service's field list and the contact's
/// record (and the name and summary typed for the referral): those fields and nothing else. Pure.
/// </summary>
internal static class ReferralContent
{
    public const string NotRecorded = "not recorded";

    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["name"] = "Name",
        ["callbackNumber"] = "Number to call back on",
        ["safeTimes"] = "Safe times to call",
        ["voicemailAllowed"] = "Voicemail may be left",
        ["email"] = "Email address",
        ["area"] = "Area",
        ["ageGroup"] = "Age group",
        ["gender"] = "Gender",
        ["relationship"] = "Relationship to the stalker",
        ["riskBand"] = "Risk screening",
        ["reportedToPolice"] = "Reported to the police",
        ["needs"] = "Needs",
        ["summary"] = "Summary",
    };

    private static readonly Dictionary<string, string> Words = new(StringComparer.Ordinal)
    {
        ["exPartner"] = "Ex-intimate partner",
        ["family"] = "Family member",
        ["friendOrAcquaintance"] = "Friend or acquaintance",
        ["colleague"] = "Colleague",
        ["neighbour"] = "Neighbour",
        ["stranger"] = "Stranger",
        ["onlineOnly"] = "Online only",
        ["unknown"] = "Not known",
        ["yes"] = "Yes",
        ["no"] = "No",
        ["under16"] = "Under 16",
        ["16to17"] = "16 to 17",
        ["18to24"] = "18 to 24",
        ["25to64"] = "25 to 64",
        ["65plus"] = "65 or over",
        ["female"] = "Female",
        ["male"] = "Male",
        ["nonBinary"] = "Non-binary",
        ["other"] = "Other",
        ["information"] = "Information",
        ["advocacy"] = "Advocacy",
        ["legal"] = "Legal",
        ["emotionalSupport"] = "Emotional support",
        ["safetyPlanning"] = "Safety planning",
        ["referral"] = "Referral",
    };

    public static string Label(string field) => Labels[field];

    public static IReadOnlyList<ReferralField> Fields(IReadOnlyList<string> fields, RecordView record, string? name, string? summary)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(record);
        return [.. DirectoryVocabulary.ReferralFields.Where(fields.Contains).Select(f => new ReferralField(f, Labels[f], Value(f, record, name, summary) ?? NotRecorded))];
    }

    /// <summary>What the preview shows where the reference will be.</summary>
    public const string PendingReference = "given when sent";

    /// <summary>The referral's reference in the email: the first eight hex digits of its id.</summary>
    public static string Reference(Guid referralId) => referralId.ToString("N", CultureInfo.InvariantCulture)[..8];

    public static string Subject(string reference) => $"Referral from the National Stalking Helpline (ref. {reference})";

    /// <summary>The plain-text email: a line per field, then what the caller consented to and how to reply.</summary>
    public static string Body(string serviceName, IReadOnlyList<ReferralField> fields, DateTimeOffset consentGivenAt, string reference)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"To {serviceName},\n\nThe National Stalking Helpline refers the caller below to you, with their consent.\n\n");
        foreach (var field in fields)
        {
            text.Append(CultureInfo.InvariantCulture, $"{field.Label}: {field.Value.ReplaceLineEndings("\n  ")}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"\nThe caller agreed on {ServiceMatcher.Date(DateOnly.FromDateTime(consentGivenAt.UtcDateTime))} that these details, and only these, may be shared with you.\n");
        text.Append(CultureInfo.InvariantCulture, $"Please reply to this email to say whether you accept the referral (ref. {reference}).\n");
        return text.ToString();
    }

    private static string? Value(string field, RecordView record, string? name, string? summary) => field switch
    {
        "name" => name,
        "callbackNumber" => record.Safety.CallbackNumber,
        "safeTimes" => record.Safety.SafeTimes,
        "voicemailAllowed" => record.Safety.VoicemailAllowed is { } v ? (v ? "Yes" : "No") : null,
        "email" => record.Safety.Email,
        "area" => Area(record.Area),
        "ageGroup" => Word(record.AgeGroup),
        "gender" => Word(record.Gender),
        "relationship" => Word(record.Relationship),
        "riskBand" => record.RiskScreening.Band is { } band
            ? $"{band} (score {record.RiskScreening.Score}, questionnaire {record.RiskScreening.QuestionnaireId} version {record.RiskScreening.Version})"
            : null,
        "reportedToPolice" => Word(record.ReportedToPolice),
        "needs" => record.Needs.Count > 0 ? string.Join(", ", record.Needs.Select(n => Words.GetValueOrDefault(n, n))) : null,
        "summary" => summary,
        _ => null,
    };

    private static string? Area(AreaView area)
    {
        var parts = new[] { area.LocalAuthorityName, area.PoliceForceName is { } force ? $"{force} area" : null, area.OutwardCode is { } outward ? $"postcode district {outward}" : null }
            .Where(p => p is not null)
            .ToList();
        return parts.Count > 0 ? string.Join(", ", parts) : null;
    }

    private static string? Word(string? code) => code is null ? null : Words.GetValueOrDefault(code, code);
}
