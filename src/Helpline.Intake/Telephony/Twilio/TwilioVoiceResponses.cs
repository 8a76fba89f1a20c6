using System.Globalization;
using Helpline.Contracts;
using Helpline.Intake.Calls;
using Microsoft.Extensions.Options;
using Twilio.TwiML;
using Twilio.TwiML.Voice;

namespace Helpline.Intake.Telephony.Twilio;

/// <summary>
/// Every TwiML document Intake gives Twilio, built with the Twilio package's <see cref="VoiceResponse"/>
/// (which escapes text and URLs), never by string concatenation.
/// </summary>
internal sealed class TwilioVoiceResponses(IOptionsMonitor<TelephonyOptions> telephony, IOptionsMonitor<TwilioOptions> twilio)
{
    public const string IncomingPath = "/twilio/voice/incoming";
    public const string HoldRoundParameter = "hold";
    public const string WaitPath = "/twilio/voice/wait";
    public const string DialEndedPath = "/twilio/voice/dial-ended";
    public const string CallbackPath = "/twilio/voice/callback";

    private TelephonyMessages Messages => telephony.CurrentValue.Messages;

    /// <summary>In hours: the greeting, then the caller holds in the queue with the wait URL's messages.</summary>
    public VoiceResponse Welcome() => Enqueue(Say(new VoiceResponse(), Messages.Greeting));

    /// <summary>After an advisor's phone did not answer: an apology, and back into the queue.</summary>
    public VoiceResponse Requeue() => Enqueue(Say(new VoiceResponse(), Messages.ConnectFailed));

    /// <summary>Out of hours: the hours, when the helpline next opens, 999 and the 24/7 services, then hang up.</summary>
    public VoiceResponse Closed(Hours.OpeningHours hours, DateTimeOffset now)
    {
        var response = Say(new VoiceResponse(), Messages.Closed);
        Say(response, $"We are open {hours.DescribeWeek()}, except on bank holidays.");
        if (hours.NextOpening(now) is { } next)
        {
            Say(response, $"We will next be open on {hours.Speak(next)}.");
        }

        return Signpost(response).Hangup();
    }

    /// <summary>
    /// Turned away by the router: its message; when <paramref name="offerCallback"/>, the offer inside a
    /// one-digit <c>&lt;Gather&gt;</c> whose action (<see cref="CallbackPath"/>) takes over if a key is pressed;
    /// else (or when nothing is pressed) signposting, then hang up.
    /// </summary>
    public VoiceResponse TurnAway(UnansweredReason reason, bool offerCallback)
    {
        var response = Say(new VoiceResponse(), reason == UnansweredReason.Overflow ? Messages.Overflow : Messages.NoAdvisors);
        if (offerCallback)
        {
            var gather = new Gather(
                input: [Gather.InputEnum.Dtmf],
                numDigits: 1,
                timeout: 6,
                action: twilio.CurrentValue.PublicUrl(CallbackPath),
                method: global::Twilio.Http.HttpMethod.Post,
                actionOnEmptyResult: false);
            gather.Say(Messages.CallbackOffer, language: global::Twilio.TwiML.Voice.Say.LanguageEnum.EnGb);
            response.Append(gather);
        }

        return Signpost(response).Hangup();
    }

    /// <summary>After the gather: the confirmation when the consent was recorded, then signposting and hang up.</summary>
    public VoiceResponse CallbackAnswer(bool recorded)
    {
        var response = new VoiceResponse();
        if (recorded)
        {
            Say(response, Messages.CallbackConfirmed);
        }

        return Signpost(response).Hangup();
    }

    /// <summary>
    /// While holding: the caller's place and estimated wait when Console reported them, a hold message, a
    /// pause. At position 0 (ringing at an advisor) only "connecting you now": no place, no estimate.
    /// </summary>
    public VoiceResponse Wait(InboundCall? call)
    {
        var response = new VoiceResponse();
        if (call?.QueuePosition == 0)
        {
            return Say(response, Messages.Connecting).Pause(telephony.CurrentValue.HoldPauseSeconds);
        }

        if (call?.QueuePosition is { } position)
        {
            Say(response, position == 1
                ? "You are next in the queue."
                : string.Create(CultureInfo.InvariantCulture, $"You are number {position} in the queue."));
        }

        if (call?.EstimatedWait is { } wait)
        {
            var minutes = Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes));
            Say(response, minutes == 1
                ? "We expect to answer your call within about a minute."
                : string.Create(CultureInfo.InvariantCulture, $"We expect to answer your call in about {minutes} minutes."));
        }

        return Say(response, Messages.Hold).Pause(telephony.CurrentValue.HoldPauseSeconds);
    }

    /// <summary>Bridges the held call to the advisor; the caller id shown is the helpline's number, never the caller's.</summary>
    public VoiceResponse Connect(InboundCall call, AdvisorEndpoint endpoint)
    {
        var dial = new Dial(action: twilio.CurrentValue.PublicUrl(DialEndedPath), method: global::Twilio.Http.HttpMethod.Post, callerId: call.DialledNumber);
        if (endpoint.ClientIdentity is { } identity)
        {
            dial.Client(identity);
        }
        else
        {
            dial.Number(new global::Twilio.Types.PhoneNumber(endpoint.Number!.Value.Value));
        }

        return new VoiceResponse().Append(dial);
    }

    /// <summary>
    /// The call could not be stored (<paramref name="round"/> holds so far): held with a short message and
    /// sent back to the incoming webhook, or, after the last round, told the service is out of order and
    /// signposted.
    /// </summary>
    public VoiceResponse HoldWhileUnavailable(int round)
    {
        var options = telephony.CurrentValue;
        if (round >= options.FaultHoldRounds)
        {
            return Signpost(Say(new VoiceResponse(), Messages.OutOfService)).Hangup();
        }

        return Say(new VoiceResponse(), Messages.StillConnecting)
            .Pause(options.FaultPauseSeconds)
            .Redirect(twilio.CurrentValue.PublicUrl($"{IncomingPath}?{HoldRoundParameter}={round + 1}"), global::Twilio.Http.HttpMethod.Post);
    }

    /// <summary>Any other voice webhook that could not be answered from the database: the out-of-service message, signposted.</summary>
    public VoiceResponse OutOfService() => Signpost(Say(new VoiceResponse(), Messages.OutOfService)).Hangup();

    public VoiceResponse Goodbye() => Say(new VoiceResponse(), Messages.Goodbye).Hangup();

    /// <summary>Nothing more to do (answers to callbacks whose TwiML Twilio ignores).</summary>
    public static VoiceResponse Empty() => new();

    private VoiceResponse Enqueue(VoiceResponse response) =>
        response.Enqueue(
            name: telephony.CurrentValue.QueueName,
            waitUrl: twilio.CurrentValue.PublicUrl(WaitPath),
            waitUrlMethod: global::Twilio.Http.HttpMethod.Post);

    private VoiceResponse Signpost(VoiceResponse response)
    {
        Say(response, Messages.Emergency);
        foreach (var service in telephony.CurrentValue.Signposting)
        {
            Say(response, service);
        }

        return response;
    }

    private static VoiceResponse Say(VoiceResponse response, string text) => response.Say(text, language: global::Twilio.TwiML.Voice.Say.LanguageEnum.EnGb);
}
