using Helpline.Console.Directory;
using Helpline.Console.Records;

namespace Helpline.Console.Referrals;

/// <summary>Why the server refuses a referral (pure): every reason, in words for the advisor.</summary>
internal static class ReferralRules
{
    private static readonly string[] CallbackFields = ["callbackNumber", "safeTimes", "voicemailAllowed"];

    public static IReadOnlyList<string> Refusals(SupportService service, ReferralConsent? consent, RecordView record, IReadOnlyList<ReferralField> fields)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(fields);
        var refusals = new List<string>();
        if (service.ReferralMethod == DirectoryVocabulary.SelfReferralOnly)
        {
            refusals.Add($"{service.Name} takes self-referrals only: give the caller its details instead.");
        }

        if (service.Status == DirectoryVocabulary.Closed)
        {
            refusals.Add($"{service.Name} is closed{(service.StatusUntil is { } until ? $" until {ServiceMatcher.Date(until)}" : "")}: it takes no referrals.");
        }

        if (consent is null)
        {
            refusals.Add($"The caller's consent to a referral to {service.Name} is not recorded, or was withdrawn.");
        }
        else if (service.ReferralFields.Where(f => !consent.Fields.Contains(f)).ToList() is { Count: > 0 } missing)
        {
            refusals.Add($"The caller has not agreed to share: {string.Join(", ", missing.Select(ReferralContent.Label))}.");
        }

        var shared = fields.Select(f => f.Field).ToHashSet(StringComparer.Ordinal);
        if (CallbackFields.Any(shared.Contains) && record.Safety.SafeToCallBack != true)
        {
            refusals.Add("The caller has not said it is safe to call them back, so their number and times cannot be shared.");
        }
        else if (shared.Contains("callbackNumber") && record.Safety.CallbackNumber is null)
        {
            refusals.Add("No number to call back on is recorded.");
        }

        if (shared.Contains("email") && record.Safety.SafeToEmail != true)
        {
            refusals.Add("The caller has not said it is safe to email them, so their address cannot be shared.");
        }
        else if (shared.Contains("email") && record.Safety.Email is null)
        {
            refusals.Add("No email address is recorded.");
        }

        if (shared.Contains("name") && fields.Single(f => f.Field == "name").Value == ReferralContent.NotRecorded)
        {
            refusals.Add($"{service.Name} asks for the caller's name: give the name they want used.");
        }

        return refusals;
    }
}
