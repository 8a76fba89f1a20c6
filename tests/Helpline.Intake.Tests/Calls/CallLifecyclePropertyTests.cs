using CsCheck;
using Helpline.Intake.Calls;

namespace Helpline.Intake.Tests.Calls;

/// <summary>One generated step: which event, a number that picks its arguments, and the seconds since the step before.</summary>
internal readonly record struct CallStep(int Kind, int A, int Seconds);

internal sealed record CallScenario(CallRules Rules, bool InHours, bool Withheld, IReadOnlyList<CallStep> Steps)
{
    public override string ToString() =>
        $"{Rules}, in hours: {InHours}, withheld: {Withheld}{Environment.NewLine}{string.Join(Environment.NewLine, Steps)}";
}

/// <summary>The call lifecycle's invariants, over random sequences of events from every door.</summary>
public sealed class CallLifecyclePropertyTests
{
    /// <summary>Events a provider (Twilio, a PBX bridge through the API) sends, and may send again.</summary>
    private const int ProviderKinds = 7;

    private const int Kinds = 13;

    private static readonly Guid[] Advisors = [Guid.Parse("00000000-0000-0000-0000-00000000000a"), Guid.Parse("00000000-0000-0000-0000-00000000000b")];
    private static readonly string[] Statuses = ["queued", "ringing", "in-progress", "completed", "busy", "failed", "no-answer", "canceled"];
    private static readonly string[] DialStatuses = ["completed", "answered", "busy", "no-answer", "failed", "canceled"];
    private static readonly UnansweredReason[] Reasons = [UnansweredReason.NoAdvisors, UnansweredReason.Overflow, UnansweredReason.Abandoned, UnansweredReason.OutOfHours];
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    private static readonly Gen<CallStep> GenStep =
        Gen.Select(Gen.Int[0, Kinds - 1], Gen.Int[0, 1000], Gen.Frequency((2, Gen.Const(0)), (6, Gen.Int[1, 10]), (2, Gen.Int[11, 120])))
            .Select(t => new CallStep(t.Item1, t.Item2, t.Item3));

    private static readonly Gen<CallScenario> GenScenario =
        Gen.Select(Gen.Int[0, 10], Gen.Bool, Gen.Frequency((9, Gen.Const(true)), (1, Gen.Const(false))), Gen.Bool, GenStep.Array[1, 40])
            .Select(t => new CallScenario(new CallRules(TimeSpan.FromSeconds(t.Item1), t.Item2), t.Item3, t.Item4, t.Item5));

    [Fact]
    public void No_event_moves_a_call_out_of_an_end_state_and_unanswered_reasons_stay_exclusive()
    {
        var reached = new HashSet<CallState>();
        GenScenario.Sample(scenario =>
        {
            var lifecycle = new CallLifecycle(scenario.Rules);
            var (call, now) = Arrive(scenario);
            Check(call);
            lock (reached)
            {
                reached.Add(call.State);
            }

            foreach (var step in scenario.Steps)
            {
                now += TimeSpan.FromSeconds(step.Seconds);
                var next = lifecycle.Apply(call, EventFor(step, now), now).Call;
                Check(next);
                if (call.IsEnded)
                {
                    Assert.Equal(call.State, next.State);
                }

                Assert.Equal((call.Id, call.ReceivedAt, call.Withheld), (next.Id, next.ReceivedAt, next.Withheld));
                call = next;
                lock (reached)
                {
                    reached.Add(call.State);
                }
            }
        },
        iter: 2_000); // enough scenarios that every state is reached on every seed (100, the default, missed one now and then)

        Assert.Equal(Enum.GetValues<CallState>().ToHashSet(), reached);
    }

    [Fact]
    public void A_replayed_provider_event_changes_nothing()
    {
        var replays = new Dictionary<CallVerdict, int>();
        Gen.Select(GenScenario, Gen.Int[0, ProviderKinds - 1], Gen.Int[0, 1000], Gen.Int[1, 600]).Sample(t =>
        {
            var (scenario, kind, a, later) = t;
            var lifecycle = new CallLifecycle(scenario.Rules);
            var (call, now) = Arrive(scenario);
            foreach (var step in scenario.Steps)
            {
                now += TimeSpan.FromSeconds(step.Seconds);
                call = lifecycle.Apply(call, EventFor(step, now), now).Call;
            }

            var providerEvent = EventFor(new CallStep(kind, a, 0), now);
            var first = lifecycle.Apply(call, providerEvent, now);
            var again = lifecycle.Apply(first.Call, providerEvent, now + TimeSpan.FromSeconds(later));

            Assert.Equal(first.Call, again.Call);
            Assert.Empty(again.Effects);
            Assert.NotEqual(CallVerdict.Applied, again.Verdict);
            lock (replays)
            {
                replays[first.Verdict] = replays.GetValueOrDefault(first.Verdict) + 1;
            }
        });

        Assert.True(replays.GetValueOrDefault(CallVerdict.Applied) > 0, "some first deliveries took effect");
    }

    private static (Call Call, DateTimeOffset Now) Arrive(CallScenario scenario) =>
        (CallLifecycle.Arrive(Guid.NewGuid(), new NewCall("api", "call-1", scenario.Withheld ? null : "key", "+448088020300", Start, null), scenario.InHours, Start).Call, Start);

    private static CallEvent EventFor(CallStep step, DateTimeOffset now)
    {
        var advisor = Advisors[step.A % Advisors.Length];
        return step.Kind switch
        {
            0 => new CallEvent.HungUp(now),
            1 => new CallEvent.Ended((CallEndedBy)(step.A % 3), now),
            2 => new CallEvent.Answered(advisor, now),
            3 => new CallEvent.ConnectFailed(advisor, "The advisor's phone did not answer (busy).", now),
            4 => new CallEvent.StatusReported(Statuses[step.A % Statuses.Length]),
            5 => new CallEvent.DialEnded(DialStatuses[step.A % DialStatuses.Length], step.A % 2 == 0),
            6 => new CallEvent.CallbackConsented(now),
            7 => new CallEvent.ConnectRequested(advisor),
            8 => new CallEvent.AwaitingAnswer(advisor),
            9 => new CallEvent.AnswerTimedOut(now - TimeSpan.FromSeconds(step.A % 60), "The phone system did not report an answer in time."),
            10 => new CallEvent.TurnAwayRequested(Reasons[step.A % Reasons.Length]),
            11 => new CallEvent.TurnedAway(Reasons[step.A % Reasons.Length]),
            _ => new CallEvent.EndRequested(advisor, now),
        };
    }

    /// <summary>
    /// Each call has at most one unanswered reason, and only an unanswered call has one: a short abandon is
    /// an abandon, only a completed call says who ended it and was answered, a callback is taken only by a
    /// call turned away as Overflow, and a call being connected, answered or completed has its advisor.
    /// </summary>
    private static void Check(Call call)
    {
        Assert.True(!call.ShortAbandon || call.State == CallState.Abandoned, $"short abandon while {call.State}");
        Assert.Equal(call.State == CallState.Completed, call.EndedBy is not null);
        Assert.True(call.AnsweredAt is null || call.State is CallState.Answered or CallState.Completed, $"answered while {call.State}");
        Assert.True(call.State is not (CallState.Answered or CallState.Completed) || call.AnsweredAt is not null, $"{call.State} without an answer");
        Assert.True(call.CallbackRequestedAt is null || call.State == CallState.Overflow, $"callback while {call.State}");
        Assert.True(call.EndedAt is null || call.IsEnded, $"an end time while {call.State}");
        Assert.True(call.State is not (CallState.Connecting or CallState.Answered or CallState.Completed) || call.AdvisorId is not null, $"{call.State} without an advisor");
    }
}
