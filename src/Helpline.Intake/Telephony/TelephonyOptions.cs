using System.ComponentModel.DataAnnotations;

namespace Helpline.Intake.Telephony;

/// <summary>Section <c>Telephony</c>: which provider connects calls, and what callers hear.</summary>
internal sealed class TelephonyOptions
{
    public const string Section = "Telephony";
    public const string Simulated = "Simulated";
    public const string Twilio = "Twilio";
    public const string External = "External";

    /// <summary>
    /// <c>Simulated</c> (the default): accepted calls "connect" without a phone network, so the whole
    /// system runs without a Twilio account. <c>Twilio</c>: Twilio's webhooks are served and calls are
    /// bridged over Twilio's REST API (section <c>Twilio</c> is then required). <c>External</c>: a PBX
    /// bridge announces calls on the provider-neutral API, takes Intake's requests over HTTP and reports
    /// the answer itself (section <c>ExternalBridge</c> is then required).
    /// </summary>
    [Required]
    [AllowedValues(Simulated, Twilio, External)]
    public string Provider { get; set; } = Simulated;

    /// <summary>The provider's queue callers wait in.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9_-]{1,64}$")]
    public string QueueName { get; set; } = "helpline";

    /// <summary>
    /// How many times a call Intake cannot store is held (<see cref="TelephonyMessages.StillConnecting"/>, a
    /// pause of <see cref="FaultPauseSeconds"/>, the webhook again) before the caller hears
    /// <see cref="TelephonyMessages.OutOfService"/>.
    /// </summary>
    [Range(0, 20)]
    public int FaultHoldRounds { get; set; } = 4;

    [Range(1, 30)]
    public int FaultPauseSeconds { get; set; } = 5;

    /// <summary>Silence between hold messages; the wait TwiML is fetched again after it, with a fresh queue position.</summary>
    [Range(5, 120)]
    public int HoldPauseSeconds { get; set; } = 20;

    /// <summary>24/7 services read to callers the helpline cannot take (each one sentence), after the 999 sentence.</summary>
    public List<string> Signposting { get; set; } = [];

    [Required]
    public TelephonyMessages Messages { get; set; } = new();
}

/// <summary>What callers hear. Plain sentences, read with UK English text to speech.</summary>
internal sealed class TelephonyMessages
{
    public string Greeting { get; set; } = "Thank you for calling the National Stalking Helpline. All calls are confidential. Please hold and an advisor will be with you as soon as possible.";

    /// <summary>Said while an advisor's phone is ringing for the call (Console's queue position 0).</summary>
    public string Connecting { get; set; } = "An advisor is about to take your call. Connecting you now, please stay on the line.";

    public string Hold { get; set; } = "Thank you for waiting. Your call is important to us and an advisor will be with you as soon as they can.";

    public string Closed { get; set; } = "Thank you for calling the National Stalking Helpline. The helpline is closed now.";

    public string Emergency { get; set; } = "If you are in immediate danger, hang up and call 999.";

    public string NoAdvisors { get; set; } = "Sorry, there are no advisors available to take your call right now. Please try again later.";

    public string Overflow { get; set; } = "Sorry, all our advisors are busy and we cannot hold your call any longer. Please try again later.";

    /// <summary>Said inside the one-digit gather when <c>Callbacks:Enabled</c> and the call overflowed (never to a withheld number).</summary>
    public string CallbackOffer { get; set; } = "If it is safe for us to call you back on the number you are calling from, press 1 now and we will call you back.";

    /// <summary>Said after the caller pressed 1 and the consent was recorded.</summary>
    public string CallbackConfirmed { get; set; } = "Thank you. We will call you back on this number as soon as an advisor is free.";

    public string ConnectFailed { get; set; } = "Sorry, we could not put you through. Please stay on the line and you will keep your place.";

    public string Goodbye { get; set; } = "Thank you for calling the National Stalking Helpline. Goodbye.";

    /// <summary>Said while Intake cannot store the call yet (its database is briefly unreachable); the caller is held and the call tried again.</summary>
    public string StillConnecting { get; set; } = "Thank you for calling the National Stalking Helpline. Please stay on the line while we connect your call.";

    /// <summary>Said when the call still could not be stored after every hold round; the signposting follows, then the call ends.</summary>
    public string OutOfService { get; set; } = "Sorry, we cannot take your call right now because of a technical problem. Please try again in a few minutes.";
}
