using System.Collections.Frozen;
using System.Text.Json.Serialization;
using Helpline.Contracts;

namespace Helpline.Intake.Calls;

/// <summary>
/// Where a call is, as far as Intake knows. The unanswered end states carry docs/domain.md's reasons
/// (<see cref="OutOfHours"/>, <see cref="NoAdvisors"/>, <see cref="Overflow"/>, <see cref="Abandoned"/>).
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<CallState>))]
internal enum CallState
{
    /// <summary>Handed to Console, waiting for an advisor.</summary>
    Queued,

    /// <summary>An advisor accepted; the provider is bridging the call.</summary>
    Connecting,

    /// <summary>The provider bridged the call to the advisor.</summary>
    Answered,

    /// <summary>An answered call ended.</summary>
    Completed,

    OutOfHours,
    NoAdvisors,
    Overflow,
    Abandoned,
}

/// <summary>
/// What the lifecycle knows of a call: the lifecycle's fields of <see cref="InboundCall"/>, as a value.
/// </summary>
internal sealed record Call(Guid Id, DateTimeOffset ReceivedAt, bool Withheld, CallState State)
{
    /// <summary>The advisor the call is being, or was, connected to.</summary>
    public Guid? AdvisorId { get; init; }

    /// <summary>The provider's own last status for the call (Twilio's <c>CallStatus</c>), so a replayed callback is recognised.</summary>
    public string? ProviderStatus { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }

    public DateTimeOffset? AnsweredAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    public CallEndedBy? EndedBy { get; init; }

    /// <summary>Abandoned at most <see cref="CallRules.ShortAbandonThreshold"/> after arriving; false for every other outcome.</summary>
    public bool ShortAbandon { get; init; }

    /// <summary>When the caller consented to a callback; null when they did not.</summary>
    public DateTimeOffset? CallbackRequestedAt { get; init; }

    /// <summary>Waiting for an advisor: queued, or being connected to one.</summary>
    public bool IsWaiting => State is CallState.Queued or CallState.Connecting;

    /// <summary>An end state: no event moves the call out of it.</summary>
    public bool IsEnded => State is CallState.Completed or CallState.OutOfHours or CallState.NoAdvisors or CallState.Overflow or CallState.Abandoned;
}

/// <summary>
/// Something that happens to a stored call, from any door: the provider-neutral API, Twilio's webhooks,
/// Console's commands, the external bridge's answer timeout. The set is closed.
/// </summary>
internal abstract record CallEvent
{
    private CallEvent()
    {
    }

    /// <summary>The caller hung up at <paramref name="At"/>: an abandon while waiting, the end of an answered call.</summary>
    public sealed record HungUp(DateTimeOffset At) : CallEvent;

    /// <summary>An answered call ended at <paramref name="At"/>.</summary>
    public sealed record Ended(CallEndedBy By, DateTimeOffset At) : CallEvent;

    /// <summary>The advisor's phone picked up at <paramref name="At"/>.</summary>
    public sealed record Answered(Guid AdvisorId, DateTimeOffset At) : CallEvent;

    /// <summary>The call could not be connected to the advisor; <paramref name="Detail"/> is for the advisor (no caller data).</summary>
    public sealed record ConnectFailed(Guid AdvisorId, string Detail, DateTimeOffset At) : CallEvent;

    /// <summary>The provider's status callback (Twilio's <c>CallStatus</c>).</summary>
    public sealed record StatusReported(string Status) : CallEvent;

    /// <summary>Twilio's bridge to the advisor ended (<c>DialCallStatus</c>); <paramref name="CallerGone"/> when the caller's leg had ended too.</summary>
    public sealed record DialEnded(string Status, bool CallerGone) : CallEvent;

    /// <summary>The caller consented to a callback (the number itself is kept by the door, encrypted).</summary>
    public sealed record CallbackConsented(DateTimeOffset RequestedAt) : CallEvent;

    /// <summary>Console's <c>ConnectCall</c>: the advisor accepted; claim the call for them and ask the provider to bridge it.</summary>
    public sealed record ConnectRequested(Guid AdvisorId) : CallEvent;

    /// <summary>The provider took the connect request but bridges on its own: the answer is reported later.</summary>
    public sealed record AwaitingAnswer(Guid AdvisorId) : CallEvent;

    /// <summary>The external bridge reported no answer for a call connecting since before <paramref name="Cutoff"/>.</summary>
    public sealed record AnswerTimedOut(DateTimeOffset Cutoff, string Detail) : CallEvent;

    /// <summary>Console's <c>TurnAwayCall</c>: may the provider play the message and end the call?</summary>
    public sealed record TurnAwayRequested(UnansweredReason Reason) : CallEvent;

    /// <summary>The provider played the message and ended the call.</summary>
    public sealed record TurnedAway(UnansweredReason Reason) : CallEvent;

    /// <summary>Console's <c>EndCall</c>: the advisor completed the call in the console at <paramref name="At"/>.</summary>
    public sealed record EndRequested(Guid AdvisorId, DateTimeOffset At) : CallEvent;
}

/// <summary>What a transition asks of its door, besides storing the call.</summary>
internal abstract record CallEffect
{
    private CallEffect()
    {
    }

    /// <summary>Publish to Console through the outbox, in the transaction that stores the change.</summary>
    public sealed record Publish(object Message) : CallEffect;

    /// <summary>After the commit, ask the provider to bridge the call to the advisor, and apply what it answers.</summary>
    public sealed record Connect(Guid AdvisorId) : CallEffect;

    /// <summary>After the commit, ask the provider to play the message for <paramref name="Reason"/> and end the call; then apply <see cref="CallEvent.TurnedAway"/>.</summary>
    public sealed record TurnAway(UnansweredReason Reason) : CallEffect;

    /// <summary>After the commit, ask the provider to hang the call up.</summary>
    public sealed record HangUp : CallEffect;

    /// <summary>Store the caller's number, encrypted, in the transaction that stores the consent.</summary>
    public sealed record KeepCallbackNumber(DateTimeOffset RequestedAt) : CallEffect;
}

/// <summary>How an event met the call.</summary>
internal enum CallVerdict
{
    /// <summary>It took effect.</summary>
    Applied,

    /// <summary>It had taken effect already (a provider's retry, a redelivery): nothing changes.</summary>
    Repeated,

    /// <summary>It does not apply to the call as it is (another advisor's, never answered, ended otherwise): nothing changes.</summary>
    Refused,
}

/// <param name="Call">The call after the event.</param>
internal sealed record CallTransition(Call Call, CallVerdict Verdict, IReadOnlyList<CallEffect> Effects)
{
    /// <summary>What the transition publishes to Console.</summary>
    public IEnumerable<object> Messages => Effects.OfType<CallEffect.Publish>().Select(p => p.Message);
}

/// <summary>The rules the lifecycle is configured with.</summary>
/// <param name="ShortAbandonThreshold">A caller hanging up at most this long after the call arrived is a short abandon (<c>Calls:ShortAbandonThreshold</c>).</param>
/// <param name="CallbacksEnabled">Callers turned away as Overflow are offered a callback (<c>Callbacks:Enabled</c>).</param>
internal sealed record CallRules(TimeSpan ShortAbandonThreshold, bool CallbacksEnabled)
{
    /// <summary>Whether a caller turned away for <paramref name="reason"/> is offered a callback: only on Overflow, only when enabled, never to a withheld number.</summary>
    public bool OffersCallback(bool withheld, UnansweredReason reason) =>
        CallbacksEnabled && reason == UnansweredReason.Overflow && !withheld;
}

/// <summary>
/// A call's lifecycle, as docs/domain.md states it: <c>(call, event, now) → (call', effects)</c>, pure (no I/O,
/// no clock of its own), for every door. <see cref="CallStore"/> applies it to the stored call under the
/// call's row lock and commits the change with the messages it publishes.
/// </summary>
internal sealed class CallLifecycle(CallRules rules)
{
    /// <summary>The provider's statuses (Twilio's <c>CallStatus</c> terms) for a call that is over.</summary>
    public static readonly FrozenSet<string> FinalStatuses = FrozenSet.Create(StringComparer.Ordinal, "completed", "busy", "failed", "no-answer", "canceled");

    public CallRules Rules => rules;

    /// <summary>
    /// A call a provider (or the API) just announced, stored as <paramref name="id"/>: queued when
    /// <paramref name="inHours"/> (the helpline was open at its arrival), else recorded OutOfHours.
    /// </summary>
    public static CallTransition Arrive(Guid id, NewCall incoming, bool inHours, DateTimeOffset now)
    {
        var call = new Call(id, incoming.ReceivedAt, incoming.CallerKey is null, inHours ? CallState.Queued : CallState.OutOfHours)
        {
            ProviderStatus = incoming.ProviderStatus,
            UpdatedAt = now,
            EndedAt = inHours ? null : incoming.ReceivedAt,
        };
        object message = inHours
            ? new ContactReceived
            {
                ContactId = id,
                Channel = ContactChannel.Call,
                ProviderReference = incoming.ProviderCallId,
                CallerKey = incoming.CallerKey,
                ReceivedAt = incoming.ReceivedAt,
            }
            : new CallNotQueued
            {
                ContactId = id,
                Reason = UnansweredReason.OutOfHours,
                ProviderReference = incoming.ProviderCallId,
                CallerKey = incoming.CallerKey,
                ReceivedAt = incoming.ReceivedAt,
            };
        return Applied(call, new CallEffect.Publish(message));
    }

    public CallTransition Apply(Call call, CallEvent e, DateTimeOffset now) => e switch
    {
        CallEvent.HungUp hungUp => HangUp(call, hungUp.At),
        CallEvent.Ended ended => call.State switch
        {
            CallState.Answered => Complete(call, ended.By, ended.At),
            CallState.Completed => Repeated(call),
            _ => Refused(call),
        },
        CallEvent.Answered answered => Answer(call, answered.AdvisorId, answered.At),
        CallEvent.ConnectFailed failed => FailConnect(call, failed.AdvisorId, failed.Detail, failed.At),
        CallEvent.StatusReported reported => Report(call, reported.Status, now),
        CallEvent.DialEnded dialEnded => EndDial(call, dialEnded, now),
        CallEvent.CallbackConsented consented => ConsentToCallback(call, consented.RequestedAt, now),
        CallEvent.ConnectRequested requested => Claim(call, requested.AdvisorId, now),
        CallEvent.AwaitingAnswer awaiting => call.State == CallState.Connecting && call.AdvisorId == awaiting.AdvisorId
            ? Applied(call with { UpdatedAt = now })
            : Refused(call),
        CallEvent.AnswerTimedOut timedOut => call.State == CallState.Connecting && call.UpdatedAt < timedOut.Cutoff
            ? FailConnect(call, call.AdvisorId!.Value, timedOut.Detail, now)
            : Refused(call),
        CallEvent.TurnAwayRequested requested => call.State == CallState.Queued && Unanswered(requested.Reason) is not null
            ? Applied(call, new CallEffect.TurnAway(requested.Reason))
            : Refused(call),
        CallEvent.TurnedAway turnedAway => call.State == CallState.Queued && Unanswered(turnedAway.Reason) is { } state
            ? Applied(call with { State = state, UpdatedAt = now })
            : Refused(call),
        CallEvent.EndRequested requested => EndByAdvisor(call, requested),
        _ => throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name, "Not a call event."),
    };

    /// <summary>Abandoned while waiting (flagged short when it came soon after the call arrived); completed by the caller once answered.</summary>
    private CallTransition HangUp(Call call, DateTimeOffset at)
    {
        if (call.IsWaiting)
        {
            var shortAbandon = at - call.ReceivedAt <= rules.ShortAbandonThreshold;
            return Applied(
                call with { State = CallState.Abandoned, EndedAt = at, UpdatedAt = at, ShortAbandon = shortAbandon },
                new CallEffect.Publish(new CallerHungUp { ContactId = call.Id, At = at, ShortAbandon = shortAbandon }));
        }

        return call.State == CallState.Answered ? Complete(call, CallEndedBy.Caller, at) : Repeated(call);
    }

    private static CallTransition Complete(Call call, CallEndedBy endedBy, DateTimeOffset at) =>
        Applied(
            call with { State = CallState.Completed, EndedAt = at, EndedBy = endedBy, UpdatedAt = at },
            new CallEffect.Publish(new CallEnded { ContactId = call.Id, EndedBy = endedBy, At = at }));

    /// <summary>A call connecting to this advisor is answered; the same answer again is a repeat.</summary>
    private static CallTransition Answer(Call call, Guid advisorId, DateTimeOffset at)
    {
        if (call.State == CallState.Connecting && call.AdvisorId == advisorId)
        {
            return Applied(
                call with { State = CallState.Answered, AnsweredAt = at, UpdatedAt = at },
                new CallEffect.Publish(new CallConnected { ContactId = call.Id, AdvisorId = advisorId, At = at }));
        }

        return call.State == CallState.Answered && call.AdvisorId == advisorId ? Repeated(call) : Refused(call);
    }

    /// <summary>A call connecting to this advisor goes back to the queue with its place (Console keeps its entry time).</summary>
    private static CallTransition FailConnect(Call call, Guid advisorId, string detail, DateTimeOffset at)
    {
        if (call.State == CallState.Connecting && call.AdvisorId == advisorId)
        {
            return Applied(
                call with { State = CallState.Queued, AdvisorId = null, UpdatedAt = at },
                new CallEffect.Publish(new CallConnectFailed { ContactId = call.Id, AdvisorId = advisorId, Detail = detail, At = at }));
        }

        return call.State == CallState.Queued ? Repeated(call) : Refused(call);
    }

    /// <summary>
    /// The provider's status is kept, so a replay (the same status again) or a callback after a final one
    /// changes nothing. A final status ends the call: completed after an answer, abandoned while waiting.
    /// </summary>
    private CallTransition Report(Call call, string status, DateTimeOffset now)
    {
        if (call.ProviderStatus == status || (call.ProviderStatus is { } previous && FinalStatuses.Contains(previous)))
        {
            return Repeated(call);
        }

        var reported = call with { ProviderStatus = status, UpdatedAt = now };
        if (!FinalStatuses.Contains(status))
        {
            return Applied(reported);
        }

        var ended = reported.State == CallState.Answered
            ? Complete(reported, status == "completed" ? CallEndedBy.Caller : CallEndedBy.Provider, now)
            : HangUp(reported, now);
        return ended.Verdict == CallVerdict.Applied ? ended : Applied(reported);
    }

    /// <summary>
    /// The bridge to the advisor ended. Answered and then ended: completed, by the advisor if the caller is
    /// still on the line, else by the caller. Never answered (busy, no answer, failed): back to the queue.
    /// </summary>
    private static CallTransition EndDial(Call call, CallEvent.DialEnded dial, DateTimeOffset now)
    {
        if (call.State != CallState.Answered)
        {
            return Refused(call);
        }

        if (dial.Status is "completed" or "answered")
        {
            return Complete(call, dial.CallerGone ? CallEndedBy.Caller : CallEndedBy.Advisor, now);
        }

        return Applied(
            call with { State = CallState.Queued, AdvisorId = null, AnsweredAt = null, UpdatedAt = now },
            new CallEffect.Publish(new CallConnectFailed
            {
                ContactId = call.Id,
                AdvisorId = call.AdvisorId!.Value,
                Detail = $"The advisor's phone did not answer ({dial.Status}).",
                At = now,
            }));
    }

    /// <summary>Only a call turned away as Overflow and offered a callback can take one, once.</summary>
    private CallTransition ConsentToCallback(Call call, DateTimeOffset requestedAt, DateTimeOffset now)
    {
        if (call.CallbackRequestedAt is not null)
        {
            return Repeated(call);
        }

        if (call.State != CallState.Overflow || !rules.OffersCallback(call.Withheld, UnansweredReason.Overflow))
        {
            return Refused(call);
        }

        return Applied(
            call with { CallbackRequestedAt = requestedAt, UpdatedAt = now },
            new CallEffect.KeepCallbackNumber(requestedAt),
            new CallEffect.Publish(new CallbackRequested { ContactId = call.Id, RequestedAt = requestedAt }));
    }

    /// <summary>
    /// A waiting call is claimed for the advisor (again, for the same advisor after a redelivery) and the
    /// provider asked to connect it. Answered by this advisor already: a repeat. Anything else: Console is
    /// told the call is no longer waiting for the advisor.
    /// </summary>
    private static CallTransition Claim(Call call, Guid advisorId, DateTimeOffset now)
    {
        if (call.State == CallState.Answered && call.AdvisorId == advisorId)
        {
            return Repeated(call);
        }

        if (call.State == CallState.Queued || (call.State == CallState.Connecting && call.AdvisorId == advisorId))
        {
            return Applied(call with { State = CallState.Connecting, AdvisorId = advisorId, UpdatedAt = now }, new CallEffect.Connect(advisorId));
        }

        return new CallTransition(call, CallVerdict.Refused, [new CallEffect.Publish(new CallConnectFailed
        {
            ContactId = call.Id,
            AdvisorId = advisorId,
            Detail = $"The call is no longer waiting for this advisor (it is {call.State}).",
            At = now,
        })]);
    }

    /// <summary>
    /// The advisor completed the call in the console: an answered call is completed by the advisor, and only
    /// then does the provider hang it up, so its own "call ended" callbacks find it completed. Nothing is
    /// published (Console completed the contact already). A call this advisor completed already is hung up
    /// again (a redelivery after a provider failure); one that ended some other way is left as it is.
    /// </summary>
    private static CallTransition EndByAdvisor(Call call, CallEvent.EndRequested requested)
    {
        if (call.AdvisorId != requested.AdvisorId)
        {
            return Refused(call);
        }

        return call switch
        {
            { State: CallState.Answered } => Applied(
                call with { State = CallState.Completed, EndedBy = CallEndedBy.Advisor, EndedAt = requested.At, UpdatedAt = requested.At },
                new CallEffect.HangUp()),
            { State: CallState.Completed, EndedBy: CallEndedBy.Advisor } => new CallTransition(call, CallVerdict.Repeated, [new CallEffect.HangUp()]),
            _ => Refused(call),
        };
    }

    /// <summary>The end state of a call the router turned away for <paramref name="reason"/>; null for a reason that does not turn a call away.</summary>
    private static CallState? Unanswered(UnansweredReason reason) => reason switch
    {
        UnansweredReason.NoAdvisors => CallState.NoAdvisors,
        UnansweredReason.Overflow => CallState.Overflow,
        _ => null,
    };

    private static CallTransition Applied(Call call, params CallEffect[] effects) => new(call, CallVerdict.Applied, effects);

    private static CallTransition Repeated(Call call) => new(call, CallVerdict.Repeated, []);

    private static CallTransition Refused(Call call) => new(call, CallVerdict.Refused, []);
}
