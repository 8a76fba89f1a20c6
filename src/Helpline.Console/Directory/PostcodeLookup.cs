using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Helpline.Console.Records;

namespace Helpline.Console.Directory;

/// <summary>The area a postcode lies in. Only <see cref="OutwardCode"/> of the postcode itself is ever kept.</summary>
internal sealed record PostcodeArea(string OutwardCode, string? LocalAuthorityCode, string? PoliceForceCode);

/// <summary>Finds the area of a full postcode; null when the postcode is not known. Throws <see cref="HttpRequestException"/> when the service cannot be reached.</summary>
internal interface IPostcodeLookup
{
    Task<PostcodeArea?> LookupAsync(string postcode, CancellationToken cancellationToken);
}

/// <summary>Section <c>PostcodeLookup</c>: off unless enabled, as no accurate offline table ships and the caller's postcode would leave the building.</summary>
internal sealed class PostcodeLookupOptions : IValidatableObject
{
    public const string Section = "PostcodeLookup";

    public bool Enabled { get; set; }

    /// <summary>A postcodes.io-compatible API (its bulk look-up, <c>POST {BaseUrl}/postcodes</c>).</summary>
    public Uri? BaseUrl { get; set; }

    [Range(1, 30)]
    public int TimeoutSeconds { get; set; } = 5;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Enabled && BaseUrl is not { IsAbsoluteUri: true })
        {
            yield return new ValidationResult("PostcodeLookup:BaseUrl must be an absolute URL when the look-up is enabled.", [nameof(BaseUrl)]);
        }
    }
}

/// <summary>
/// A postcodes.io-compatible look-up. It uses the bulk endpoint (POST, the postcode in the body), so
/// the postcode is in no URL and so in no request log or trace, ours or the service's.
/// </summary>
internal sealed partial class PostcodesIoLookup(HttpClient http, AreaDirectory areas) : IPostcodeLookup
{
    public async Task<PostcodeArea?> LookupAsync(string postcode, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("postcodes", new BulkRequest([postcode]), cancellationToken);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<BulkResponse>(cancellationToken);
        if (body?.Result is not [{ Result: { } found }, ..])
        {
            return null;
        }

        var lad = found.Codes?.AdminDistrict is { } ladCode ? areas.LocalAuthority(ladCode) : null;
        var pfa = found.Codes?.Pfa is { } pfaCode ? areas.PoliceForce(pfaCode) : null;
        return new PostcodeArea(Postcodes.OutwardCode(postcode), lad?.Code, pfa?.Code ?? lad?.PoliceForceCode);
    }

    private sealed record BulkRequest(IReadOnlyList<string> Postcodes);

    private sealed record BulkResponse(IReadOnlyList<BulkResult>? Result);

    private sealed record BulkResult(string? Query, FoundPostcode? Result);

    private sealed record FoundPostcode(string? Outcode, PostcodeCodes? Codes);

    private sealed record PostcodeCodes(
        [property: JsonPropertyName("admin_district")] string? AdminDistrict,
        [property: JsonPropertyName("pfa")] string? Pfa);
}

/// <summary>UK postcode shapes.</summary>
internal static partial class Postcodes
{
    /// <summary>Upper-case, one space before the inward code; null when it is not a postcode's shape.</summary>
    public static string? Normalise(string? postcode)
    {
        var compact = (postcode ?? "").Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        return FullPostcode().IsMatch(compact) ? $"{compact[..^3]} {compact[^3..]}" : null;
    }

    public static string OutwardCode(string postcode)
    {
        ArgumentNullException.ThrowIfNull(postcode);
        var compact = postcode.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        return compact[..^3];
    }

    [GeneratedRegex("^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$")]
    private static partial Regex FullPostcode();
}
