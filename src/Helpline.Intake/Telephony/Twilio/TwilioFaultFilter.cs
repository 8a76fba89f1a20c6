using System.Globalization;
using System.Text;
using Helpline.ServiceDefaults.Faults;
using Twilio.TwiML;

namespace Helpline.Intake.Telephony.Twilio;

/// <summary>
/// A caller never hears an application error: when a voice webhook's handler fails on a transient fault
/// (the database unreachable after the execution strategy's retries), the webhook still answers TwiML,
/// the one <paramref name="answer"/> gives for this request. Inside <see cref="TwilioWebhookFilter"/>, so an
/// unsigned request is refused before anything else.
/// </summary>
internal sealed partial class TwilioFaultFilter(string webhook, Func<HttpContext, TwilioVoiceResponses, VoiceResponse> answer) : IEndpointFilter
{
    /// <summary>For the incoming-call webhook: hold and come back, a bounded number of rounds.</summary>
    public static TwilioFaultFilter HoldAndRetry() => new("incoming", (http, responses) => responses.HoldWhileUnavailable(HoldRound(http.Request)));

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (Exception exception) when (TransientFaults.IsTransient(exception) && !context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            var services = context.HttpContext.RequestServices;
            services.GetRequiredService<IntakeMetrics>().WebhookHeld(webhook);
            LogHeld(services.GetRequiredService<ILoggerFactory>().CreateLogger<TwilioFaultFilter>(), webhook, exception.GetType().Name);
            return TypedResults.Content(answer(context.HttpContext, services.GetRequiredService<TwilioVoiceResponses>()).ToString(), "application/xml", Encoding.UTF8);
        }
    }

    /// <summary>The hold rounds already played for this call (the redirect's query); anything unreadable counts as none.</summary>
    private static int HoldRound(HttpRequest request) =>
        int.TryParse(request.Query[TwilioVoiceResponses.HoldRoundParameter], NumberStyles.None, CultureInfo.InvariantCulture, out var round) ? round : 0;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Twilio {Webhook} webhook could not reach the database ({ExceptionType}); answered with TwiML that holds the caller")]
    private static partial void LogHeld(ILogger logger, string webhook, string exceptionType);
}
