using System.Text;
using Helpline.Contracts;
using Helpline.Intake.Callbacks;
using Helpline.Intake.Calls;
using Helpline.Intake.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Twilio.TwiML;

namespace Helpline.Intake.Telephony.Twilio;

/// <summary>
/// Twilio's voice webhooks. Configure the helpline number's "A call comes in" webhook as
/// <c>POST {PublicBaseUrl}/twilio/voice/incoming</c> and its "Call status changes" callback as
/// <c>POST {PublicBaseUrl}/twilio/voice/status</c>; the wait and dial-ended URLs are set by the TwiML.
/// </summary>
internal static partial class TwilioWebhooks
{
    public const string Provider = TwilioTelephonyProvider.ProviderName;

    private static readonly HashSet<string> CallStatuses = new(StringComparer.Ordinal)
    {
        "queued", "initiated", "ringing", "in-progress", "completed", "busy", "failed", "no-answer", "canceled",
    };

    private static readonly HashSet<string> DialStatuses = new(StringComparer.Ordinal) { "completed", "answered", "busy", "no-answer", "failed", "canceled" };

    public static WebApplication MapTwilioWebhooks(this WebApplication app)
    {
        // Twilio authenticates each webhook by its signature (TwilioWebhookFilter), not by an integration key.
        var voice = app.MapGroup("/twilio/voice").WithTags("Twilio").ExcludeFromDescription().AllowAnonymous();
        voice.MapPost("/incoming", Incoming).WithName("TwilioIncomingCall").AddEndpointFilter(new TwilioWebhookFilter("The call"))
            .AddEndpointFilter(TwilioFaultFilter.HoldAndRetry());
        // Not heard by the caller: a 503 (problem details), which Twilio logs and the call carries on.
        voice.MapPost("/status", Status).WithName("TwilioCallStatus").AddEndpointFilter(new TwilioWebhookFilter("The status callback"));
        voice.MapPost("/wait", Wait).WithName("TwilioQueueWait").AddEndpointFilter(new TwilioWebhookFilter("The wait request"))
            .AddEndpointFilter(new TwilioFaultFilter("wait", (_, responses) => responses.Wait(null)));
        voice.MapPost("/dial-ended", DialEnded).WithName("TwilioDialEnded").AddEndpointFilter(new TwilioWebhookFilter("The dial result"))
            .AddEndpointFilter(new TwilioFaultFilter("dial-ended", (_, responses) => responses.OutOfService()));
        voice.MapPost("/callback", Callback).WithName("TwilioCallbackConsent").AddEndpointFilter(new TwilioWebhookFilter("The callback answer"))
            .AddEndpointFilter(new TwilioFaultFilter("callback", (_, responses) => responses.OutOfService()));
        return app;
    }

    /// <summary>A call arrives: recorded in hours as queued (ContactReceived) or out of hours (CallNotQueued), and answered with TwiML.</summary>
    public static async Task<Results<ContentHttpResult, ValidationProblem>> Incoming(
        HttpContext context,
        CallStore calls,
        CallerKeyHasher hasher,
        TwilioVoiceResponses responses,
        IntakeMetrics metrics,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var webhook = TwilioWebhook.Of(context);
        if (!PhoneNumber.TryParse(webhook["To"], out var to))
        {
            metrics.RequestRejected("invalid");
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["To"] = ["Must be the helpline's number in E.164."] }, title: "The call is not valid.");
        }

        var now = time.GetUtcNow();
        var recorded = await calls.RecordAsync(
            new NewCall(Provider, webhook.CallSid, hasher.KeyFor(TwilioCaller.NumberFrom(webhook["From"])), to.Value, now, ProviderStatus(webhook)),
            now,
            cancellationToken);
        return Twiml(recorded.State switch
        {
            CallState.Queued or CallState.Connecting => responses.Welcome(),
            CallState.OutOfHours => responses.Closed(recorded.Hours, now),
            CallState.NoAdvisors => responses.TurnAway(UnansweredReason.NoAdvisors, offerCallback: false),
            CallState.Overflow => responses.TurnAway(UnansweredReason.Overflow, offerCallback: false),
            _ => TwilioVoiceResponses.Empty(),
        });
    }

    /// <summary>
    /// Call status callback. The status is stored per call, so a replay (same CallSid, same status) and a
    /// late callback after the call ended change nothing. The call ending while waiting is an abandon
    /// (CallerHungUp); ending after an answer completes it (CallEnded).
    /// </summary>
    public static async Task<Results<NoContent, ValidationProblem>> Status(
        HttpContext context,
        CallStore calls,
        IntakeMetrics metrics,
        TimeProvider time,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var webhook = TwilioWebhook.Of(context);
        if (ProviderStatus(webhook) is not { } status)
        {
            metrics.RequestRejected("invalid");
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["CallStatus"] = ["Must be one of Twilio's call statuses."] }, title: "The status callback is not valid.");
        }

        var now = time.GetUtcNow();
        if (await calls.ApplyAsync(Provider, webhook.CallSid, new CallEvent.StatusReported(status), now, cancellationToken) is null)
        {
            LogUnknownCall(loggers.CreateLogger(typeof(TwilioWebhooks)), "status");
        }

        return TypedResults.NoContent();
    }

    /// <summary>The queue's wait URL: position and estimated wait when Console reported them, a hold message, a pause; Twilio fetches it again after.</summary>
    public static async Task<ContentHttpResult> Wait(HttpContext context, IntakeDbContext db, TwilioVoiceResponses responses, CancellationToken cancellationToken)
    {
        var callSid = TwilioWebhook.Of(context).CallSid;
        var call = await db.InboundCalls.AsNoTracking().SingleOrDefaultAsync(c => c.Provider == Provider && c.ProviderCallId == callSid, cancellationToken);
        return Twiml(responses.Wait(call is not null && call.ToCall().IsWaiting ? call : null));
    }

    /// <summary>
    /// The bridged call to the advisor ended (the <c>&lt;Dial&gt;</c> action): the call is completed, or back
    /// in the queue when the advisor's phone never answered (Console is told the connection failed).
    /// </summary>
    public static async Task<Results<ContentHttpResult, ValidationProblem>> DialEnded(
        HttpContext context,
        CallStore calls,
        TwilioVoiceResponses responses,
        IntakeMetrics metrics,
        TimeProvider time,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var webhook = TwilioWebhook.Of(context);
        if (webhook["DialCallStatus"] is not { } dialStatus || !DialStatuses.Contains(dialStatus))
        {
            metrics.RequestRejected("invalid");
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["DialCallStatus"] = ["One of Twilio's dial statuses is required."] },
                title: "The dial result is not valid.");
        }

        var callerGone = ProviderStatus(webhook) is { } status && CallLifecycle.FinalStatuses.Contains(status);
        var change = await calls.ApplyAsync(Provider, webhook.CallSid, new CallEvent.DialEnded(dialStatus, callerGone), time.GetUtcNow(), cancellationToken);
        if (change is null)
        {
            LogUnknownCall(loggers.CreateLogger(typeof(TwilioWebhooks)), "dial-ended");
        }

        return Twiml(change?.Transition.Messages.OfType<CallConnectFailed>().Any() == true ? responses.Requeue() : callerGone ? TwilioVoiceResponses.Empty() : responses.Goodbye());
    }

    /// <summary>
    /// The callback offer's <c>&lt;Gather&gt;</c> action: "1" is consent, and the caller's number (Twilio's
    /// <c>From</c>, from this signed request, never stored before) is recorded encrypted with
    /// <see cref="CallbackRequested"/>. Any other key, a withheld number, or a call that was not offered a
    /// callback records nothing. Either way the caller hears the signposting and the call ends.
    /// </summary>
    public static async Task<ContentHttpResult> Callback(
        HttpContext context,
        CallbackRecorder recorder,
        TwilioVoiceResponses responses,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var webhook = TwilioWebhook.Of(context);
        var recorded = false;
        if (webhook["Digits"] == "1" && TwilioCaller.NumberFrom(webhook["From"]) is { } number)
        {
            var now = time.GetUtcNow();
            var (outcome, _) = await recorder.RecordAsync(Provider, webhook.CallSid, number, now, now, cancellationToken);
            recorded = outcome is CallbackOutcome.Recorded or CallbackOutcome.AlreadyRecorded;
        }

        return Twiml(responses.CallbackAnswer(recorded));
    }

    private static string? ProviderStatus(TwilioWebhook webhook) =>
        webhook["CallStatus"] is { } status && CallStatuses.Contains(status) ? status : null;

    private static ContentHttpResult Twiml(VoiceResponse response) => TypedResults.Content(response.ToString(), "application/xml", Encoding.UTF8);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Twilio {Webhook} callback for a call Intake never stored; nothing recorded")]
    private static partial void LogUnknownCall(ILogger logger, string webhook);
}
