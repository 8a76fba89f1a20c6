using System.Net.Mail;
using System.Text.RegularExpressions;
using Helpline.Console.Records;

namespace Helpline.Console.Directory;

/// <summary>
/// Checks a service field by field and normalises it (trimmed text, upper-case area codes, lists
/// de-duplicated in vocabulary order). Error keys are the API's field names (<c>referralEmail</c>);
/// the CSV import maps them to its columns.
/// </summary>
internal sealed partial class ServiceValidator(AreaDirectory areas, RiskScreening screening)
{
    public const int MaxAge = 120;

    public static bool IsValidId(string? id) => id is not null && IdPattern().IsMatch(id);

    public (ServiceData? Valid, Dictionary<string, string[]> Errors) Validate(ServiceData data, IReadOnlySet<string> commissioningBodies)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(commissioningBodies);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        void Fail(string field, string message) => errors[field] = [message];

        var provider = Text(data.Provider, "provider", DirectoryLimits.MaxNameLength, required: true, Fail);
        var name = Text(data.Name, "name", DirectoryLimits.MaxNameLength, required: true, Fail);
        var description = Text(data.Description, "description", DirectoryLimits.MaxTextLength, required: false, Fail);
        var hours = Text(data.Hours, "hours", DirectoryLimits.MaxShortTextLength, required: false, Fail);
        var notes = Text(data.Notes, "notes", DirectoryLimits.MaxTextLength, required: false, Fail);
        var sources = Text(data.Sources, "sources", DirectoryLimits.MaxTextLength, required: false, Fail);

        var body = Blank(data.CommissioningBodyId);
        if (body is not null && !commissioningBodies.Contains(body))
        {
            Fail("commissioningBodyId", $"There is no commissioning body {Short(body)} in the directory.");
        }

        if (data.FundedFrom is { } from && data.FundedUntil is { } until && until < from)
        {
            Fail("fundedUntil", "The funding period cannot end before it starts.");
        }

        var areaCodes = (data.Areas ?? []).Select(a => a.Trim().ToUpperInvariant()).Where(a => a.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var unknown = areaCodes.Where(c => !DirectoryVocabulary.Nations.ContainsKey(c) && areas.PoliceForce(c) is null && areas.LocalAuthority(c) is null).ToList();
        if (areaCodes.Count == 0)
        {
            Fail("areas", "Give at least one area: a nation (E92000001, W92000004), a police force area (E23…, W15…) or a local authority.");
        }
        else if (unknown.Count > 0)
        {
            Fail("areas", $"Unknown area code {string.Join(", ", unknown.Take(3).Select(Short))}: use ONS codes of nations, police force areas (PFA19) or local authorities (LAD19).");
        }

        var relationships = Choices(data.Relationships, DirectoryVocabulary.Relationships, "relationships", Fail);
        var riskBands = Choices(data.RiskBands, screening.Current.Bands.Select(b => b.Id).ToList(), "riskBands", Fail);
        var genders = Choices(data.Genders, DirectoryVocabulary.Genders, "genders", Fail);
        var referralFields = Choices(data.ReferralFields, DirectoryVocabulary.ReferralFields, "referralFields", Fail);

        if (data.MinAge is < 0 or > MaxAge)
        {
            Fail("minAge", $"A minimum age is a whole number of years from 0 to {MaxAge}.");
        }

        if (data.MaxAge is < 0 or > MaxAge)
        {
            Fail("maxAge", $"A maximum age is a whole number of years from 0 to {MaxAge}.");
        }
        else if (data.MinAge is { } min && data.MaxAge is { } max && max < min)
        {
            Fail("maxAge", "The maximum age cannot be below the minimum age.");
        }

        var method = Blank(data.ReferralMethod);
        var email = Blank(data.ReferralEmail);
        var phone = Text(data.Phone, "phone", 64, required: false, Fail);
        if (method is null || !DirectoryVocabulary.ReferralMethods.Contains(method))
        {
            Fail("referralMethod", $"Choose one of {string.Join(", ", DirectoryVocabulary.ReferralMethods)}.");
        }
        else if (method == DirectoryVocabulary.SecureEmail && email is null)
        {
            Fail("referralEmail", "A service referred to by secure email needs its referral address.");
        }
        else if (method == DirectoryVocabulary.Phone && phone is null)
        {
            Fail("phone", "A service referred to by phone needs its phone number.");
        }

        if (method != DirectoryVocabulary.SelfReferralOnly && method is not null && referralFields.Count == 0 && !errors.ContainsKey("referralFields"))
        {
            Fail("referralFields", "Name the fields a referral to this service carries (at least one).");
        }

        if (email is not null && !IsEmail(email))
        {
            Fail("referralEmail", "Give one email address, such as referrals@service.org.uk.");
        }

        var website = Blank(data.Website);
        if (website is not null && !(Uri.TryCreate(website, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" && website.Length <= 500))
        {
            Fail("website", "Give the address of the service's web page, starting https://.");
        }

        var status = Blank(data.Status);
        if (status is null || !DirectoryVocabulary.Statuses.Contains(status))
        {
            Fail("status", $"Choose one of {string.Join(", ", DirectoryVocabulary.Statuses)}.");
        }

        return errors.Count > 0
            ? (null, errors)
            : (new ServiceData
            {
                Provider = provider,
                Name = name,
                Description = description,
                CommissioningBodyId = body,
                FundedFrom = data.FundedFrom,
                FundedUntil = data.FundedUntil,
                Areas = areaCodes,
                Relationships = relationships,
                RiskBands = riskBands,
                MinAge = data.MinAge,
                MaxAge = data.MaxAge,
                Genders = genders,
                ReferralMethod = method,
                ReferralEmail = email,
                Phone = phone,
                Website = website,
                ReferralFields = referralFields,
                Hours = hours,
                Status = status,
                StatusUntil = data.StatusUntil,
                Notes = notes,
                Sources = sources,
            }, errors);
    }

    private static string? Text(string? value, string field, int max, bool required, Action<string, string> fail)
    {
        var text = Blank(value);
        if (text is null && required)
        {
            fail(field, "This is required.");
        }
        else if (text is { Length: var length } && length > max)
        {
            fail(field, $"At most {max} characters; this is {length}.");
        }

        return text;
    }

    /// <summary>Codes from <paramref name="allowed"/>, de-duplicated, in the vocabulary's order.</summary>
    private static List<string> Choices(IReadOnlyList<string>? values, IReadOnlyList<string> allowed, string field, Action<string, string> fail)
    {
        var given = (values ?? []).Select(v => v.Trim()).Where(v => v.Length > 0).ToList();
        var unknown = given.Where(v => !allowed.Contains(v)).ToList();
        if (unknown.Count > 0)
        {
            fail(field, $"Unknown value {string.Join(", ", unknown.Take(3).Select(Short))}: choose from {string.Join(", ", allowed)}.");
            return [];
        }

        return [.. allowed.Where(given.Contains)];
    }

    private static bool IsEmail(string value) =>
        value.Length <= 254 && !value.Contains(' ', StringComparison.Ordinal) && MailAddress.TryCreate(value, out var address) && address.Address == value && address.Host.Contains('.', StringComparison.Ordinal);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>Unknown input echoed back in an error, cut short (an import's cell could be anything).</summary>
    private static string Short(string value) => value.Length > 24 ? $"{value[..24]}…" : value;

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")]
    private static partial Regex IdPattern();
}
