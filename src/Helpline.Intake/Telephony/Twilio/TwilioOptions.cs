using System.ComponentModel.DataAnnotations;

namespace Helpline.Intake.Telephony.Twilio;

/// <summary>
/// Section <c>Twilio</c>, required (and validated at start) only when <c>Telephony:Provider</c> is
/// <c>Twilio</c>. The account SID and auth token are secrets: give them through the environment or a
/// secret store, never in a committed file.
/// </summary>
internal sealed class TwilioOptions : IValidatableObject
{
    public const string Section = "Twilio";

    [Required]
    [RegularExpression("^AC[0-9a-fA-F]{32}$")]
    public string AccountSid { get; set; } = "";

    /// <summary>Signs Twilio's webhooks (<c>X-Twilio-Signature</c>) and authenticates REST requests.</summary>
    [Required]
    [MinLength(16)]
    public string AuthToken { get; set; } = "";

    /// <summary>
    /// The address Twilio calls Intake at, as Twilio sees it (scheme, host and any path prefix a proxy
    /// strips), e.g. <c>https://helpline.example.org/intake</c>. Signatures are checked against it, and the
    /// TwiML's callback URLs are built from it.
    /// </summary>
    [Required]
    public string PublicBaseUrl { get; set; } = "";

    /// <summary>Twilio's REST API; tests point it at a local stub.</summary>
    [Required]
    public string ApiBaseUrl { get; set; } = "https://api.twilio.com";

    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan ApiTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public Uri PublicUrl(string path) => new($"{PublicBaseUrl.TrimEnd('/')}{path}");

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsHttpUrl(PublicBaseUrl, allowPath: true))
        {
            yield return new ValidationResult("Must be an absolute http(s) URL without a query.", [nameof(PublicBaseUrl)]);
        }

        if (!IsHttpUrl(ApiBaseUrl, allowPath: false))
        {
            yield return new ValidationResult("Must be an absolute http(s) URL with no path.", [nameof(ApiBaseUrl)]);
        }
    }

    private static bool IsHttpUrl(string value, bool allowPath) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && uri.Scheme is "https" or "http"
        && uri.Query.Length == 0
        && (allowPath || uri.AbsolutePath == "/");
}
