using System.Net.Mail;
using System.Text.RegularExpressions;

namespace Helpline.Console.Records;

/// <summary>A draft that passed validation, normalised (trimmed text, upper-case codes, the force derived from the local authority).</summary>
internal sealed record ValidRecord(
    RecordDraft Draft,
    RiskQuestionnaire? Questionnaire,
    IReadOnlyDictionary<string, bool> RiskAnswers,
    string? CallbackNumber,
    string? SafeTimes,
    string? Email,
    string? LocalAuthorityCode,
    string? PoliceForceCode,
    string? OutwardCode,
    IReadOnlyList<string> Needs,
    IReadOnlyList<string> Outcomes,
    string? Notes);

/// <summary>Checks a draft field by field; error keys are the JSON paths the browser uses (<c>safety.callbackNumber</c>).</summary>
internal sealed partial class RecordValidator(AreaDirectory areas, RiskScreening screening)
{
    public (ValidRecord? Record, Dictionary<string, string[]> Errors) Validate(RecordDraft draft)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        void Fail(string field, string message) => errors[field] = [message];

        if (draft.Relationship is { } relationship && !RecordVocabulary.Relationships.Contains(relationship))
        {
            Fail("relationship", "Choose one of the listed relationships.");
        }

        if (draft.ReportedToPolice is { } reported && !RecordVocabulary.ReportedToPolice.Contains(reported))
        {
            Fail("reportedToPolice", "Choose yes, no or not known.");
        }

        if (draft.AgeGroup is { } age && !RecordVocabulary.AgeGroups.Contains(age))
        {
            Fail("ageGroup", "Choose one of the listed age groups.");
        }

        if (draft.Gender is { } gender && !RecordVocabulary.Genders.Contains(gender))
        {
            Fail("gender", "Choose one of the listed genders.");
        }

        var (questionnaire, answers) = ValidateRisk(draft.RiskScreening, Fail);
        var (callbackNumber, safeTimes, email) = ValidateSafety(draft.Safety, Fail);
        var (lad, pfa) = ValidateArea(draft.Area, Fail);
        var outward = Blank(draft.Area?.OutwardCode)?.ToUpperInvariant();
        if (outward is not null && !OutwardCode().IsMatch(outward))
        {
            Fail("area.outwardCode", "Keep only the first half of the postcode (such as BN1 or SW1A).");
        }

        var needs = ValidateChoices(draft.Needs, RecordVocabulary.Needs, "needs", Fail);
        var outcomes = ValidateChoices(draft.Outcomes, RecordVocabulary.Outcomes, "outcomes", Fail);

        var notes = string.IsNullOrWhiteSpace(draft.Notes) ? null : draft.Notes;
        if (notes is { Length: > RecordLimits.MaxNotesLength })
        {
            Fail("notes", $"Notes can be at most {RecordLimits.MaxNotesLength} characters; these are {notes.Length}.");
        }

        return errors.Count > 0
            ? (null, errors)
            : (new ValidRecord(draft, questionnaire, answers, callbackNumber, safeTimes, email, lad, pfa, outward, needs, outcomes, notes), errors);
    }

    private (RiskQuestionnaire?, IReadOnlyDictionary<string, bool>) ValidateRisk(RiskAnswers? risk, Action<string, string> fail)
    {
        var empty = new Dictionary<string, bool>(StringComparer.Ordinal);
        if (risk?.Answers is not { Count: > 0 } answers)
        {
            return (null, empty);
        }

        if (risk.Version is not { } version || screening.Version(version) is not { } questionnaire)
        {
            fail("riskScreening.version", $"Answers must name the questionnaire version they were given in (the current one is {screening.Current.Version}).");
            return (null, empty);
        }

        var unknown = answers.Keys.Where(id => questionnaire.Questions.All(q => q.Id != id)).ToList();
        if (unknown.Count > 0)
        {
            fail("riskScreening.answers", $"Version {version} of the questionnaire has no question {string.Join(", ", unknown.Take(3).Select(u => u.Length > 16 ? u[..16] : u))}.");
            return (null, empty);
        }

        return (questionnaire, answers.ToDictionary(StringComparer.Ordinal));
    }

    private static (string?, string?, string?) ValidateSafety(SafetyPreferences? safety, Action<string, string> fail)
    {
        if (safety is null)
        {
            return (null, null, null);
        }

        var number = Blank(safety.CallbackNumber);
        var times = Blank(safety.SafeTimes);
        var email = Blank(safety.Email);
        if (safety.SafeToCallBack != true)
        {
            if (number is not null)
            {
                fail("safety.callbackNumber", "The caller has not said it is safe to call back, so no number can be kept.");
            }

            if (times is not null)
            {
                fail("safety.safeTimes", "Safe times only apply when it is safe to call back.");
            }

            if (safety.VoicemailAllowed == true)
            {
                fail("safety.voicemailAllowed", "A message can only be left when it is safe to call back.");
            }
        }
        else if (number is not null && !PhoneNumber().IsMatch(number))
        {
            fail("safety.callbackNumber", "Enter a phone number of 7 to 15 digits (spaces, brackets, dashes and a leading + are fine).");
        }

        if (times is { Length: > RecordLimits.MaxSafeTimesLength })
        {
            fail("safety.safeTimes", $"Safe times can be at most {RecordLimits.MaxSafeTimesLength} characters.");
        }

        if (safety.SafeToEmail != true)
        {
            if (email is not null)
            {
                fail("safety.email", "The caller has not said it is safe to email, so no address can be kept.");
            }
        }
        else if (email is not null && (email.Length > RecordLimits.MaxEmailLength || email.Any(char.IsWhiteSpace)
                     || !MailAddress.TryCreate(email, out var parsed) || parsed.Address != email || !parsed.Host.Contains('.', StringComparison.Ordinal)))
        {
            fail("safety.email", "Enter an email address like name@example.org.");
        }

        return (number, times, email);
    }

    private (string?, string?) ValidateArea(AreaChoice? area, Action<string, string> fail)
    {
        var ladCode = Blank(area?.LocalAuthorityCode)?.ToUpperInvariant();
        var pfaCode = Blank(area?.PoliceForceCode)?.ToUpperInvariant();
        var lad = ladCode is null ? null : areas.LocalAuthority(ladCode);
        var pfa = pfaCode is null ? null : areas.PoliceForce(pfaCode);
        if (ladCode is not null && lad is null)
        {
            fail("area.localAuthorityCode", "Choose a local authority from the search.");
        }

        if (pfaCode is not null && pfa is null)
        {
            fail("area.policeForceCode", "Choose a police force from the search.");
        }
        else if (lad is not null && pfa is not null && lad.PoliceForceCode != pfa.Code)
        {
            fail("area.policeForceCode", $"{lad.Name} is in the {lad.PoliceForceName} area, not {pfa.Name}.");
        }

        return (lad?.Code, pfa?.Code ?? lad?.PoliceForceCode);
    }

    private static List<string> ValidateChoices(IReadOnlyList<string>? given, IReadOnlyList<string> allowed, string field, Action<string, string> fail)
    {
        if (given is null)
        {
            return [];
        }

        if (given.Count > allowed.Count || given.Any(g => !allowed.Contains(g)))
        {
            fail(field, "Choose only from the listed options.");
            return [];
        }

        return allowed.Where(given.Contains).ToList();
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>A UK postcode's outward code: the area letters, the district digits, maybe a letter or digit more.</summary>
    [GeneratedRegex("^[A-Z]{1,2}[0-9][A-Z0-9]?$")]
    public static partial Regex OutwardCode();

    [GeneratedRegex(@"^\+?(?:[ ()\-]*[0-9]){7,15}[ ()\-]*$")]
    private static partial Regex PhoneNumber();
}
