using System.Text;
using System.Text.RegularExpressions;
using Helpline.Intake.Web;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Twilio.Security;

namespace Helpline.Intake.Telephony.Twilio;

/// <summary>A Twilio webhook that passed <see cref="TwilioWebhookFilter"/>: its form fields and the call's SID.</summary>
internal sealed record TwilioWebhook(IReadOnlyDictionary<string, string> Form, string CallSid)
{
    /// <summary>The webhook the filter read for this request.</summary>
    public static TwilioWebhook Of(HttpContext context) => context.Features.GetRequiredFeature<TwilioWebhook>();

    public string? this[string field] => Form.GetValueOrDefault(field);
}

/// <summary>
/// What every Twilio webhook checks before its handler runs: form-encoded, at most 16 KiB, signed, and
/// about a call. The signature (<c>X-Twilio-Signature</c>) is checked with the Twilio package's
/// <see cref="RequestValidator"/> against the auth token and the URL as Twilio called it
/// (<see cref="TwilioOptions.PublicBaseUrl"/> plus the path and query), so it holds behind a proxy.
/// Anything unsigned or signed wrongly is a 403 before a single field is looked at; a missing or
/// malformed <c>CallSid</c> is a 400 titled for the webhook (<paramref name="subject"/>).
/// </summary>
internal sealed partial class TwilioWebhookFilter(string subject) : IEndpointFilter
{
    public const int MaxBodyBytes = 16 * 1024;
    public const string SignatureHeader = "X-Twilio-Signature";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var services = http.RequestServices;
        var metrics = services.GetRequiredService<IntakeMetrics>();
        var (form, refusal) = await ReadAsync(http.Request, services.GetRequiredService<IOptionsMonitor<TwilioOptions>>().CurrentValue, http.RequestAborted);
        if (form is null)
        {
            metrics.RequestRejected(refusal!.Reason);
            return TypedResults.Problem(refusal.Detail, statusCode: refusal.Status, title: refusal.Title);
        }

        var callSid = form.GetValueOrDefault("CallSid") ?? "";
        if (!CallSidPattern().IsMatch(callSid))
        {
            metrics.RequestRejected("invalid");
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["CallSid"] = ["Must be CA and 32 hexadecimal digits."] },
                title: $"{subject} is not valid.");
        }

        http.Features.Set(new TwilioWebhook(form, callSid));
        return await next(context);
    }

    private static async Task<(Dictionary<string, string>? Form, Refusal? Refusal)> ReadAsync(HttpRequest request, TwilioOptions options, CancellationToken cancellationToken)
    {
        if (request.Headers[SignatureHeader] is not [{ Length: > 0 } signature])
        {
            return (null, new Refusal("unsigned", StatusCodes.Status403Forbidden, "The request is not signed.", $"Twilio requests carry {SignatureHeader}."));
        }

        if (!RequestBody.IsUtf8(request, "application/x-www-form-urlencoded"))
        {
            return (null, Unreadable(StatusCodes.Status415UnsupportedMediaType, "The body must be application/x-www-form-urlencoded (UTF-8), as Twilio sends it."));
        }

        if (await RequestBody.ReadAsync(request, MaxBodyBytes, cancellationToken) is not { } body)
        {
            return (null, Unreadable(StatusCodes.Status413PayloadTooLarge, $"The body is larger than {MaxBodyBytes} bytes."));
        }

        Dictionary<string, string> form;
        try
        {
            var fields = QueryHelpers.ParseQuery(StrictUtf8.GetString(body));
            if (fields.Any(f => f.Value.Count != 1))
            {
                return (null, Unreadable(StatusCodes.Status400BadRequest, "A field is repeated."));
            }

            form = fields.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
        }
        catch (DecoderFallbackException)
        {
            return (null, Unreadable(StatusCodes.Status400BadRequest, "The body is not UTF-8."));
        }

        var url = options.PublicUrl($"{request.Path}{request.QueryString}").ToString();
        if (!new RequestValidator(options.AuthToken).Validate(url, form, signature)
            || !string.Equals(form.GetValueOrDefault("AccountSid"), options.AccountSid, StringComparison.Ordinal))
        {
            return (null, new Refusal("signature", StatusCodes.Status403Forbidden, "The request signature is not valid.", null));
        }

        return (form, null);
    }

    private static Refusal Unreadable(int status, string detail) => new("unreadable", status, "The request could not be read.", detail);

    /// <summary>Why a webhook was refused: the metric's reason, and the problem to answer with.</summary>
    private sealed record Refusal(string Reason, int Status, string Title, string? Detail);

    [GeneratedRegex("^CA[0-9a-fA-F]{32}$")]
    private static partial Regex CallSidPattern();
}
