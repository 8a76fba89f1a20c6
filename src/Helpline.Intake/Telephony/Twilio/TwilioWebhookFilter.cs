using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Twilio.Security;

namespace Helpline.Intake.Telephony.Twilio;

/// <summary>
/// Reads a Twilio webhook: form-encoded, at most 16 KiB, and signed. The signature
/// (<c>X-Twilio-Signature</c>) is checked with the Twilio package's <see cref="RequestValidator"/> against
/// the auth token and the URL as Twilio called it (<see cref="TwilioOptions.PublicBaseUrl"/> plus the
/// path and query), so it holds behind a proxy. Anything unsigned or signed wrongly is a 403 before a
/// single field is looked at.
/// </summary>
internal static partial class TwilioRequest
{
    public const int MaxBodyBytes = 16 * 1024;
    public const string SignatureHeader = "X-Twilio-Signature";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static async Task<(Dictionary<string, string>? Form, ProblemHttpResult? Refusal)> ReadAsync(
        HttpRequest request,
        TwilioOptions options,
        IntakeMetrics metrics,
        CancellationToken cancellationToken)
    {
        if (request.Headers[SignatureHeader] is not [{ Length: > 0 } signature])
        {
            return Refuse(metrics, "unsigned", StatusCodes.Status403Forbidden, "The request is not signed.", $"Twilio requests carry {SignatureHeader}.");
        }

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !string.Equals(mediaType.MediaType, "application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)
            || (mediaType.CharSet is { } charset && !string.Equals(charset, "utf-8", StringComparison.OrdinalIgnoreCase)))
        {
            return Refuse(metrics, "unreadable", StatusCodes.Status415UnsupportedMediaType, "The request could not be read.", "The body must be application/x-www-form-urlencoded (UTF-8), as Twilio sends it.");
        }

        var body = await ReadBodyAsync(request, cancellationToken);
        if (body is null)
        {
            return Refuse(metrics, "unreadable", StatusCodes.Status413PayloadTooLarge, "The request could not be read.", $"The body is larger than {MaxBodyBytes} bytes.");
        }

        Dictionary<string, string> form;
        try
        {
            var fields = QueryHelpers.ParseQuery(StrictUtf8.GetString(body));
            if (fields.Any(f => f.Value.Count != 1))
            {
                return Refuse(metrics, "unreadable", StatusCodes.Status400BadRequest, "The request could not be read.", "A field is repeated.");
            }

            form = fields.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
        }
        catch (DecoderFallbackException)
        {
            return Refuse(metrics, "unreadable", StatusCodes.Status400BadRequest, "The request could not be read.", "The body is not UTF-8.");
        }

        var url = options.PublicUrl($"{request.Path}{request.QueryString}").ToString();
        if (!new RequestValidator(options.AuthToken).Validate(url, form, signature)
            || !string.Equals(form.GetValueOrDefault("AccountSid"), options.AccountSid, StringComparison.Ordinal))
        {
            return Refuse(metrics, "signature", StatusCodes.Status403Forbidden, "The request signature is not valid.", null);
        }

        return (form, null);
    }

    /// <summary>Twilio's call SID: <c>CA</c> and 32 hexadecimal digits.</summary>
    public static bool TryGetCallSid(Dictionary<string, string> form, out string callSid)
    {
        callSid = form.GetValueOrDefault("CallSid") ?? "";
        return CallSidPattern().IsMatch(callSid);
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        var buffer = new byte[MaxBodyBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }

        return length > MaxBodyBytes ? null : buffer[..length];
    }

    private static (Dictionary<string, string>?, ProblemHttpResult?) Refuse(IntakeMetrics metrics, string reason, int status, string title, string? detail)
    {
        metrics.RequestRejected(reason);
        return (null, TypedResults.Problem(detail, statusCode: status, title: title));
    }

    [GeneratedRegex("^CA[0-9a-fA-F]{32}$")]
    private static partial Regex CallSidPattern();
}
