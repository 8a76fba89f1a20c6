using System.Text;
using System.Text.RegularExpressions;
using Helpline.Contracts;
using Helpline.Intake.Calls;
using Helpline.Intake.Data;
using Helpline.Intake.Hours;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
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

    private static readonly HashSet<string> FinalStatuses = new(StringComparer.Ordinal) { "completed", "busy", "failed", "no-answer", "canceled" };

    public static WebApplication MapTwilioWebhooks(this WebApplication app)
    {
        var voice = app.MapGroup("/twilio/voice").WithTags("Twilio").ExcludeFromDescription();
        voice.MapPost("/incoming", Incoming).WithName("TwilioIncomingCall");
        voice.MapPost("/status", Status).WithName("TwilioCallStatus");
        voice.MapPost("/wait", Wait).WithName("TwilioQueueWait");
        voice.MapPost("/dial-ended", DialEnded).WithName("TwilioDialEnded");
        voice.MapPost("/callback", Callback).WithName("TwilioCallbackConsent");
        return app;
    }

    /// <summary>A call arrives: recorded in hours as queued (ContactReceived) or out of hours (CallNotQueued), and answered with TwiML.</summary>
    public static async Task<Results<ContentHttpResult, ProblemHttpResult, ValidationProblem>> Incoming(
        HttpRequest request,
        IOptionsMonitor<TwilioOptions> options,
        CallRecorder recorder,
        OpeningHoursService openingHours,
        CallerKeyHasher hasher,
        TwilioVoiceResponses responses,
        IntakeMetrics metrics,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var (form, refusal) = await TwilioRequest.ReadAsync(request, options.CurrentValue, metrics, cancellationToken);
        if (form is null)
        {
            return refusal!;
        }

        var errors = new Dictionary<string, string[]>();
        if (!TwilioRequest.TryGetCallSid(form, out var callSid))
        {
            errors["CallSid"] = ["Must be CA and 32 hexadecimal digits."];
        }

        var to = form.GetValueOrDefault("To") ?? "";
        if (!E164Pattern().IsMatch(to))
        {
            errors["To"] = ["Must be the helpline's number in E.164."];
        }

        if (errors.Count > 0)
        {
            metrics.RequestRejected("invalid");
            return TypedResults.ValidationProblem(errors, title: "The call is not valid.");
        }

        var now = time.GetUtcNow();
        var hours = await openingHours.ForAsync(now, cancellationToken);
        var callerKey = hasher.KeyFor(TwilioCaller.NumberFrom(form.GetValueOrDefault("From")));
        var recorded = await recorder.RecordAsync(
            new NewCall(Provider, callSid, callerKey, to, now, ProviderStatus(form), hours.IsOpen(now)),
            now,
            cancellationToken);
        return Twiml(recorded.State switch
        {
            CallState.Queued or CallState.Connecting => responses.Welcome(),
            CallState.OutOfHours => responses.Closed(hours, now),
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
    public static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> Status(
        HttpRequest request,
        IOptionsMonitor<TwilioOptions> options,
        IOptions<CallOptions> callOptions,
        CallLifecycle lifecycle,
        IntakeMetrics metrics,
        TimeProvider time,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var (form, refusal) = await TwilioRequest.ReadAsync(request, options.CurrentValue, metrics, cancellationToken);
        if (form is null)
        {
            return refusal!;
        }

        var errors = new Dictionary<string, string[]>();
        if (!TwilioRequest.TryGetCallSid(form, out var callSid))
        {
            errors["CallSid"] = ["Must be CA and 32 hexadecimal digits."];
        }

        if (ProviderStatus(form) is not { } status)
        {
            errors["CallStatus"] = ["Must be one of Twilio's call statuses."];
            status = "";
        }

        if (errors.Count > 0)
        {
            metrics.RequestRejected("invalid");
            return TypedResults.ValidationProblem(errors, title: "The status callback is not valid.");
        }

        var now = time.GetUtcNow();
        var change = await lifecycle.UpdateAsync(Provider, callSid, call =>
        {
            if (call.ProviderStatus == status || (call.ProviderStatus is { } previous && FinalStatuses.Contains(previous)))
            {
                return null;
            }

            call.ProviderStatus = status;
            call.UpdatedAt = now;
            if (!FinalStatuses.Contains(status))
            {
                return null;
            }

            return call.State == CallState.Answered
                ? CallTransitions.Ended(call, status == "completed" ? CallEndedBy.Caller : CallEndedBy.Provider, now)
                : CallTransitions.CallerHungUp(call, now, callOptions.Value.ShortAbandonThreshold);
        }, now, cancellationToken);
        if (change is null)
        {
            LogUnknownCall(loggers.CreateLogger(typeof(TwilioWebhooks)), "status");
        }

        return TypedResults.NoContent();
    }

    /// <summary>The queue's wait URL: position and estimated wait when Console reported them, a hold message, a pause; Twilio fetches it again after.</summary>
    public static async Task<Results<ContentHttpResult, ProblemHttpResult, ValidationProblem>> Wait(
        HttpRequest request,
        IOptionsMonitor<TwilioOptions> options,
        IntakeDbContext db,
        TwilioVoiceResponses responses,
        IntakeMetrics metrics,
        CancellationToken cancellationToken)
    {
        var (form, refusal) = await TwilioRequest.ReadAsync(request, options.CurrentValue, metrics, cancellationToken);
        if (form is null)
        {
            return refusal!;
        }

        if (!TwilioRequest.TryGetCallSid(form, out var callSid))
        {
            metrics.RequestRejected("invalid");
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["CallSid"] = ["Must be CA and 32 hexadecimal digits."] }, title: "The wait request is not valid.");
        }

        var call = await db.InboundCalls.AsNoTracking().SingleOrDefaultAsync(c => c.Provider == Provider && c.ProviderCallId == callSid, cancellationToken);
        return Twiml(responses.Wait(call is { IsWaiting: true } ? call : null));
    }

    /// <summary>
    /// The bridged call to the advisor ended (the <c>&lt;Dial&gt;</c> action). Answered and then ended: the
    /// call is Completed, by the advisor if the caller is still on the line, else by the caller. Never
    /// answered (busy, no answer, failed): the caller goes back into the queue and Console is told the
    /// connection failed.
    /// </summary>
    public static async Task<Results<ContentHttpResult, ProblemHttpResult, ValidationProblem>> DialEnded(
        HttpRequest request,
        IOptionsMonitor<TwilioOptions> options,
        CallLifecycle lifecycle,
        TwilioVoiceResponses responses,
        IntakeMetrics metrics,
        TimeProvider time,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var (form, refusal) = await TwilioRequest.ReadAsync(request, options.CurrentValue, metrics, cancellationToken);
        if (form is null)
        {
            return refusal!;
        }

        var dialStatus = form.GetValueOrDefault("DialCallStatus");
        if (!TwilioRequest.TryGetCallSid(form, out var callSid) || dialStatus is not ("completed" or "answered" or "busy" or "no-answer" or "failed" or "canceled"))
        {
            metrics.RequestRejected("invalid");
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["DialCallStatus"] = ["CallSid and one of Twilio's dial statuses are required."] },
                title: "The dial result is not valid.");
        }

        var callerGone = ProviderStatus(form) is { } status && FinalStatuses.Contains(status);
        var now = time.GetUtcNow();
        var change = await lifecycle.UpdateAsync(Provider, callSid, call =>
        {
            if (call.State != CallState.Answered)
            {
                return null;
            }

            if (dialStatus is "completed" or "answered")
            {
                return CallTransitions.Ended(call, callerGone ? CallEndedBy.Caller : CallEndedBy.Advisor, now);
            }

            var advisorId = call.AdvisorId!.Value;
            call.State = CallState.Queued;
            call.AdvisorId = null;
            call.AnsweredAt = null;
            call.UpdatedAt = now;
            return new CallConnectFailed { ContactId = call.Id, AdvisorId = advisorId, Detail = $"The advisor's phone did not answer ({dialStatus}).", At = now };
        }, now, cancellationToken);
        if (change is null)
        {
            LogUnknownCall(loggers.CreateLogger(typeof(TwilioWebhooks)), "dial-ended");
        }

        return Twiml(change?.Published is CallConnectFailed ? responses.Requeue() : callerGone ? TwilioVoiceResponses.Empty() : responses.Goodbye());
    }

    /// <summary>
    /// The callback offer's <c>&lt;Gather&gt;</c> action: "1" is consent, and the caller's number (Twilio's
    /// <c>From</c>, from this signed request, never stored before) is recorded encrypted with
    /// <see cref="CallbackRequested"/>. Any other key, a withheld number, or a call that was not offered a
    /// callback records nothing. Either way the caller hears the signposting and the call ends.
    /// </summary>
    public static async Task<Results<ContentHttpResult, ProblemHttpResult, ValidationProblem>> Callback(
        HttpRequest request,
        IOptionsMonitor<TwilioOptions> options,
        IOptions<Callbacks.CallbackOptions> callbacks,
        Callbacks.CallbackRecorder recorder,
        TwilioVoiceResponses responses,
        IntakeMetrics metrics,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var (form, refusal) = await TwilioRequest.ReadAsync(request, options.CurrentValue, metrics, cancellationToken);
        if (form is null)
        {
            return refusal!;
        }

        if (!TwilioRequest.TryGetCallSid(form, out var callSid))
        {
            metrics.RequestRejected("invalid");
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["CallSid"] = ["Must be CA and 32 hexadecimal digits."] }, title: "The callback answer is not valid.");
        }

        var recorded = false;
        if (callbacks.Value.Enabled && form.GetValueOrDefault("Digits") == "1" && TwilioCaller.NumberFrom(form.GetValueOrDefault("From")) is { } number)
        {
            var now = time.GetUtcNow();
            var (outcome, _) = await recorder.RecordAsync(Provider, callSid, number, now, now, cancellationToken);
            recorded = outcome is Callbacks.CallbackOutcome.Recorded or Callbacks.CallbackOutcome.AlreadyRecorded;
        }

        return Twiml(responses.CallbackAnswer(recorded));
    }

    private static string? ProviderStatus(Dictionary<string, string> form) =>
        form.GetValueOrDefault("CallStatus") is { } status && CallStatuses.Contains(status) ? status : null;

    private static ContentHttpResult Twiml(VoiceResponse response) => TypedResults.Content(response.ToString(), "application/xml", Encoding.UTF8);

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$")]
    private static partial Regex E164Pattern();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Twilio {Webhook} callback for a call Intake never stored; nothing recorded")]
    private static partial void LogUnknownCall(ILogger logger, string webhook);
}
