using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Helpline.Console.Records;

namespace Helpline.Console.Directory;

/// <summary>
/// The directory as Open Referral HSDS 3.0 services, UK profile (docs/directory.md, "Open Referral
/// export"): the shape of HSDA's paged <c>GET /services</c>, all services on one page. Ids are UUIDs
/// derived from our slugs (name-based, version 8 over SHA-256), so they stay the same between exports. What HSDS
/// has no field for (relationship, risk band and gender eligibility, how to refer, the referral field
/// list, funding period) travels as attributes of our own taxonomy, <see cref="Taxonomy"/>.
/// </summary>
internal static class HsdsExport
{
    public const string Taxonomy = "Helpline directory eligibility (docs/directory.md, Open Referral export)";

    /// <summary>Property names as HSDS spells them.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private static readonly Guid Namespace = new("4f6b1c2e-8a57-4f0e-9d3b-2b1c6a7e5d90");

    public static HsdsPage Page(DirectorySnapshot directory, AreaDirectory areas)
    {
        ArgumentNullException.ThrowIfNull(directory);
        List<HsdsService> services = [.. directory.Services.Select(s => Service(s, directory, areas))];
        return new HsdsPage(services.Count, 1, 1, services.Count, true, true, services.Count == 0, services);
    }

    private static HsdsService Service(SupportService s, DirectorySnapshot directory, AreaDirectory areas)
    {
        var id = Id("service", s.Id);
        var organization = new HsdsOrganization(Id("organization", s.Provider), s.Provider, s.Provider, s.Website);
        var (status, alert) = s.Status switch
        {
            DirectoryVocabulary.WaitingList => ("active", $"Waiting list{Until(s)}"),
            DirectoryVocabulary.Closed => (s.StatusUntil is null ? "inactive" : "temporarily closed", $"Closed{Until(s)}"),
            _ => ("active", (string?)null),
        };
        var body = s.CommissioningBodyId is { } bodyId ? directory.Bodies.GetValueOrDefault(bodyId) : null;
        List<HsdsFunding>? funding = body is null ? null : [new HsdsFunding(Id("funding", s.Id), id, $"{body.Name} ({body.Kind})")];
        return new HsdsService(
            id,
            organization.Id,
            s.Name,
            s.Description ?? s.Name,
            s.Website,
            s.ReferralEmail,
            status,
            s.MinAge,
            s.MaxAge,
            alert,
            s.UpdatedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture),
            s.Hours is null ? null : [new HsdsSchedule(Id("schedule", s.Id), id, s.Hours)],
            [.. s.Areas.Select(code => new HsdsServiceArea(
                Id("service_area", $"{s.Id}/{code}"), id, ServiceView.AreaName(code, areas), ServiceView.AreaName(code, areas),
                $"http://statistics.data.gov.uk/id/statistical-geography/{code}"))],
            organization,
            funding,
            Attributes(s, id));
    }

    private static List<HsdsAttribute> Attributes(SupportService s, Guid serviceId)
    {
        var attributes = new List<HsdsAttribute>();
        void Add(string term, string description, string? value = null) =>
            attributes.Add(new HsdsAttribute(
                Id("attribute", $"{s.Id}/{term}"),
                serviceId,
                "eligibility",
                "service",
                value,
                new HsdsTaxonomyTerm(Id("taxonomy_term", term), term, description, Taxonomy, term)));

        foreach (var r in s.Relationships)
        {
            Add($"relationship:{r}", "Only for callers stalked by someone in this relationship to them");
        }

        foreach (var band in s.RiskBands)
        {
            Add($"risk-band:{band}", "Only for callers screened at this risk band");
        }

        foreach (var gender in s.Genders)
        {
            Add($"gender:{gender}", "Only for callers of this gender");
        }

        Add($"referral-method:{s.ReferralMethod}", "How a helpline refers a caller to the service");
        if (s.Phone is { } phone)
        {
            Add("referral-phone", "The number to call to refer or to signpost", phone);
        }

        foreach (var field in s.ReferralFields)
        {
            Add($"referral-field:{field}", "A field a referral to the service carries (with the caller's consent)");
        }

        if (s.FundedFrom is not null || s.FundedUntil is not null)
        {
            Add("funding-period", "Funded from/until (ISO 8601 interval; an open end is ..)", $"{s.FundedFrom?.ToString("O", System.Globalization.CultureInfo.InvariantCulture) ?? ".."}/{s.FundedUntil?.ToString("O", System.Globalization.CultureInfo.InvariantCulture) ?? ".."}");
        }

        return attributes;
    }

    private static string Until(SupportService s) => s.StatusUntil is { } date ? $" until {ServiceMatcher.Date(date)}" : "";

    /// <summary>A name-based UUID (RFC 9562 version 8 over SHA-256 of a namespace and the name): the same kind and key always give the same id.</summary>
    public static Guid Id(string kind, string key)
    {
        var name = Encoding.UTF8.GetBytes($"{kind}:{key}");
        var space = Namespace.ToByteArray(bigEndian: true);
        var hash = SHA256.HashData([.. space, .. name]);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}

internal sealed record HsdsPage(int TotalItems, int TotalPages, int PageNumber, int Size, bool FirstPage, bool LastPage, bool Empty, IReadOnlyList<HsdsService> Contents);

internal sealed record HsdsService(
    Guid Id,
    Guid OrganizationId,
    string Name,
    string Description,
    string? Url,
    string? Email,
    string Status,
    int? MinimumAge,
    int? MaximumAge,
    string? Alert,
    string LastModified,
    IReadOnlyList<HsdsSchedule>? Schedules,
    IReadOnlyList<HsdsServiceArea> ServiceAreas,
    HsdsOrganization Organization,
    IReadOnlyList<HsdsFunding>? Funding,
    IReadOnlyList<HsdsAttribute> Attributes);

internal sealed record HsdsOrganization(Guid Id, string Name, string Description, string? Website);

internal sealed record HsdsSchedule(Guid Id, Guid ServiceId, string Description);

internal sealed record HsdsServiceArea(Guid Id, Guid ServiceId, string Name, string ServiceArea, string Uri);

internal sealed record HsdsFunding(Guid Id, Guid ServiceId, string Source);

internal sealed record HsdsAttribute(Guid Id, Guid LinkId, string LinkType, string LinkEntity, string? Value, HsdsTaxonomyTerm TaxonomyTerm);

internal sealed record HsdsTaxonomyTerm(Guid Id, string Name, string Description, string Taxonomy, string Term);
