using System.ComponentModel.DataAnnotations;

namespace Helpline.Intake.Telephony.External;

/// <summary>
/// Section <c>ExternalBridge</c>, required (and validated at start) only when <c>Telephony:Provider</c> is
/// <c>External</c>: where the PBX bridge takes Intake's requests, and how long Intake waits for it to
/// report an answer. The token is a secret: give it through the environment or a secret store.
/// </summary>
internal sealed class ExternalBridgeOptions : IValidatableObject
{
    public const string Section = "ExternalBridge";

    /// <summary>The bridge's base URL; Intake posts to <c>{BaseUrl}/connect</c>, <c>/turn-away</c> and <c>/hang-up</c>.</summary>
    [Required]
    public string BaseUrl { get; set; } = "";

    /// <summary>Sent as <c>Authorization: Bearer …</c> on every request, so the bridge knows it is Intake.</summary>
    [Required]
    [MinLength(16)]
    public string Token { get; set; } = "";

    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a call may stay <c>Connecting</c> after the bridge accepted the connect request without the
    /// bridge reporting <c>/answered</c> or <c>/connect-failed</c>; then Intake puts it back in the queue
    /// (<c>CallConnectFailed</c>). Longer than the advisor's phone rings.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan AnswerTimeout { get; set; } = TimeSpan.FromSeconds(45);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.Query.Length > 0)
        {
            yield return new ValidationResult("Must be an absolute http(s) URL without a query.", [nameof(BaseUrl)]);
        }
    }
}
