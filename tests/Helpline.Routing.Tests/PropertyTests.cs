using System.Text.Json;
using CsCheck;
using Helpline.Contracts;
using Helpline.Routing;

namespace Helpline.Routing.Tests;

/// <summary>One generated step: a kind of event and numbers that pick its targets from the state at the time.</summary>
internal readonly record struct ScenarioStep(int Kind, int A, int B, int Seconds);

internal sealed record Scenario(RoutingOptions Options, IReadOnlyList<Skills> AdvisorSkills, IReadOnlyList<ScenarioStep> Steps)
{
    public override string ToString() =>
        $"{Options}{Environment.NewLine}advisors: {string.Join(", ", AdvisorSkills)}{Environment.NewLine}{string.Join(Environment.NewLine, Steps)}";
}

public sealed class PropertyTests
{
    private const int ConfigureAdvisor = 0;
    private const int RequestStatus = 1;
    private const int CallArrives = 2;
    private const int EmailArrives = 3;
    private const int AcceptOffer = 4;
    private const int DeclineOffer = 5;
    private const int HangUp = 6;
    private const int Complete = 7;
    private const int FailConnect = 8;
    private const int EndWrapUp = 9;
    private const int ExtendWrapUp = 10;
    private const int JustTick = 11;

    private static readonly string?[] BreakReasons = ["lunch", "training", "debrief", null];

    private static readonly Gen<RoutingOptions> GenOptions =
        Gen.Select(Gen.Bool, Gen.Bool, Gen.Int[0, 3], Gen.Int[0, 2])
            .SelectMany(t => Gen.Int[0, 3].Select(limits => new RoutingOptions
            {
                AdvisorSelection = t.Item1 ? AdvisorSelection.RoundRobin : AdvisorSelection.LongestIdle,
                OfferCallsWhileEmailing = t.Item2,
                MissedOffersBeforeBreak = t.Item3,
                WrapUp = TimeSpan.FromSeconds(30 * t.Item4),
                CallLimits = limits is 1 or 3 ? new ChannelLimits { MaxQueueLength = 3, MaxWait = TimeSpan.FromSeconds(90) } : ChannelLimits.None,
                EmailLimits = limits >= 2 ? new ChannelLimits { MaxQueueLength = 4, MaxWait = TimeSpan.FromMinutes(3) } : ChannelLimits.None,
            }));

    private static readonly Gen<ScenarioStep> GenStep =
        Gen.Select(
                Gen.Frequency(
                    (2, Gen.Const(ConfigureAdvisor)),
                    (8, Gen.Const(RequestStatus)),
                    (10, Gen.Const(CallArrives)),
                    (5, Gen.Const(EmailArrives)),
                    (10, Gen.Const(AcceptOffer)),
                    (4, Gen.Const(DeclineOffer)),
                    (5, Gen.Const(HangUp)),
                    (8, Gen.Const(Complete)),
                    (2, Gen.Const(FailConnect)),
                    (3, Gen.Const(EndWrapUp)),
                    (2, Gen.Const(ExtendWrapUp)),
                    (4, Gen.Const(JustTick))),
                Gen.Int[0, 1000],
                Gen.Int[0, 1000],
                Gen.Frequency((3, Gen.Const(0)), (6, Gen.Int[1, 12]), (2, Gen.Int[13, 45])))
            .Select(t => new ScenarioStep(t.Item1, t.Item2, t.Item3, t.Item4));

    private static readonly Gen<Scenario> GenScenario =
        Gen.Select(GenOptions, Gen.Int[1, 3].Array[1, 5], GenStep.Array[1, 150])
            .Select(t => new Scenario(t.Item1, t.Item2.Select(s => (Skills)s).ToList(), t.Item3));

    [Fact]
    public void Random_event_sequences_keep_every_invariant_after_every_step()
    {
        var seen = new Dictionary<string, int>();
        GenScenario.Sample(
            scenario =>
            {
                var driver = new Driver(scenario);
                driver.Run();
                lock (seen)
                {
                    foreach (var (kind, count) in driver.Seen)
                    {
                        seen[kind] = seen.GetValueOrDefault(kind) + count;
                    }
                }
            },
            iter: 400);

        string[] expected =
        [
            "ContactQueued", "OfferMade", "ContactAssigned", "ContactRequeued", "WrapUpScheduled",
            "OfferWithdrawn:Declined", "OfferWithdrawn:TimedOut", "OfferWithdrawn:CallerHungUp", "OfferWithdrawn:AdvisorUnavailable",
            "AssignmentUndone:ConnectFailed", "AssignmentUndone:AdvisorSignedOut",
            "ContactEnded:Completed:", "ContactEnded:Abandoned:", "ContactEnded:NoAdvisors:",
            "ContactEnded:Overflow:QueueFull", "ContactEnded:Overflow:MaxWaitReached",
            "AdvisorStatusChanged:Available:", "AdvisorStatusChanged:Offered:", "AdvisorStatusChanged:OnContact:",
            "AdvisorStatusChanged:WrapUp:", "AdvisorStatusChanged:Offline:", "AdvisorStatusChanged:Break:lunch",
            "AdvisorStatusChanged:Break:missed offers", "AdvisorStatusDeferred:Break", "AdvisorStatusDeferred:Offline",
            "Rejected:UnknownContact", "Rejected:ContactAlreadyEnded", "Rejected:UnknownOffer", "Rejected:OfferNotLive",
            "Rejected:OfferBelongsToAnotherAdvisor", "Rejected:InvalidStatus", "Rejected:ContactNotAssigned",
            "Rejected:NotInWrapUp", "Rejected:InvalidDuration",
        ];
        var missing = expected.Where(kind => !seen.ContainsKey(kind)).ToList();
        Assert.True(missing.Count == 0, $"never generated: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Restored_state_fed_journaled_events_behaves_exactly_like_the_original()
    {
        GenScenario.Sample(
            scenario =>
            {
                var driver = new Driver(scenario) { TwinAt = scenario.Steps.Count / 2 };
                driver.Run();
            },
            iter: 200);
    }

    /// <summary>Turns steps into events against the current state, applying and checking each.</summary>
    private sealed class Driver(Scenario scenario)
    {
        private readonly RouterState _state = new(scenario.Options);
        private readonly Ledger _ledger = new();
        private readonly List<Guid> _advisors = [];
        private DateTimeOffset _now = Desk.Opening;
        private int _nextContact;
        private RouterState? _restored;
        private RouterState? _clone;

        public int TwinAt { get; init; } = -1;

        public IReadOnlyDictionary<string, int> Seen => _ledger.Seen;

        public void Run()
        {
            for (var i = 0; i < scenario.AdvisorSkills.Count; i++)
            {
                _advisors.Add(Ids.Of(10_000 + i));
                Apply(new AdvisorConfigured(_advisors[i], scenario.AdvisorSkills[i], 1 + (i % 3)));
            }

            for (var i = 0; i < scenario.Steps.Count; i++)
            {
                if (i == TwinAt)
                {
                    var json = JsonSerializer.Serialize(_state.ToSnapshot());
                    _restored = RouterState.Restore(JsonSerializer.Deserialize<RouterSnapshot>(json)!, scenario.Options);
                    _clone = _state.Clone();
                    Assert.Empty(Router.Apply(_restored, Tick.Instance, _state.Clock));
                }

                var step = scenario.Steps[i];
                _now = _now.AddSeconds(step.Seconds);
                if (step.Seconds > 0 && step.B % 3 != 0)
                {
                    Apply(Tick.Instance);
                }

                if (ToEvent(step) is { } routingEvent)
                {
                    Apply(routingEvent);
                }
            }

            var snapshot = _state.ToSnapshot();
            Assert.Equal(snapshot.Contacts.Count, _ledger.Live);
            var ended = Enum.GetValues<ContactOutcome>().Sum(_ledger.Count);
            Assert.Equal(_ledger.Received, ended + _ledger.Live);
        }

        private void Apply(RoutingEvent routingEvent)
        {
            var before = Invariants.Describe(_state.ToSnapshot());
            var decisions = Router.Apply(_state, routingEvent, _now);
            _ledger.Record(_state, decisions);
            Invariants.Check(_state);
            if (decisions is [Rejected])
            {
                Assert.Equal(before, Invariants.Describe(_state.ToSnapshot()));
            }

            if (_restored is not null && _clone is not null)
            {
                // The restored twin gets each event through JSON, as a host's journal replays it.
                var journaled = JsonSerializer.Deserialize<RoutingEvent>(JsonSerializer.Serialize(routingEvent))!;
                Assert.Equal(routingEvent.GetType(), journaled.GetType());
                var restoredDecisions = Router.Apply(_restored, journaled, _now);
                var cloneDecisions = Router.Apply(_clone, routingEvent, _now);
                Assert.Equal(decisions.Select(Normalise), restoredDecisions.Select(Normalise));
                Assert.Equal(decisions, cloneDecisions);
                var expected = Invariants.Describe(_state.ToSnapshot());
                Assert.Equal(expected, Invariants.Describe(_restored.ToSnapshot()));
                Assert.Equal(expected, Invariants.Describe(_clone.ToSnapshot()));
                Assert.Equal(_state.NextDueAt, _restored.NextDueAt);
                Assert.Equal(_state.Clock, _restored.Clock);
            }
        }

        /// <summary>Ended contacts and offers are not restored, so only their rejection reasons may differ.</summary>
        private static string Normalise(RoutingDecision decision) =>
            decision is Rejected rejected ? $"Rejected {rejected.Event}" : decision.ToString();

        private RoutingEvent? ToEvent(ScenarioStep step)
        {
            var snapshot = _state.ToSnapshot();
            var advisor = _advisors[step.A % _advisors.Count];
            var liveOffers = snapshot.Advisors
                .Where(a => a.LiveOffer is not null)
                .Select(a => (Offer: a.LiveOffer!, Advisor: a.AdvisorId))
                .OrderBy(o => o.Offer.OfferId)
                .ToList();
            var assigned = snapshot.Advisors
                .SelectMany(a => a.OpenEmails.Concat(a.CurrentCall is { } call ? [call] : []))
                .Order()
                .ToList();
            switch (step.Kind)
            {
                case ConfigureAdvisor:
                    return new AdvisorConfigured(advisor, (Skills)(step.B % 4));
                case RequestStatus:
                    return (step.B % 10) switch
                    {
                        < 5 => new AdvisorStatusRequested(advisor, AdvisorStatus.Available),
                        < 7 => new AdvisorStatusRequested(advisor, AdvisorStatus.Break, BreakReasons[step.B % BreakReasons.Length]),
                        < 9 => new AdvisorStatusRequested(advisor, AdvisorStatus.Offline),
                        _ => new AdvisorStatusRequested(advisor, step.B % 2 == 0 ? AdvisorStatus.WrapUp : (AdvisorStatus)42),
                    };
                case CallArrives or EmailArrives:
                    var priority = (step.B % 5) switch
                    {
                        3 => ContactPriority.HighRisk,
                        4 => ContactPriority.Urgent,
                        _ => ContactPriority.Normal,
                    };
                    return new ContactArrived(Ids.Of(++_nextContact), step.Kind == CallArrives ? ContactChannel.Call : ContactChannel.Email, priority);
                case AcceptOffer or DeclineOffer:
                    var (offerId, offeredTo) = (step.B % 10) switch
                    {
                        0 => (liveOffers.Count > 0 ? liveOffers[step.A % liveOffers.Count].Offer.OfferId : 1, advisor),
                        1 => (step.A + 1, advisor),
                        _ when liveOffers.Count > 0 => (liveOffers[step.A % liveOffers.Count].Offer.OfferId, liveOffers[step.A % liveOffers.Count].Advisor),
                        _ => (0L, advisor),
                    };
                    return offerId == 0 ? null
                        : step.Kind == AcceptOffer ? new OfferAccepted(offerId, offeredTo)
                        : new OfferDeclined(offerId, offeredTo);
                case HangUp:
                    var calls = snapshot.Contacts.Where(c => c.Channel == ContactChannel.Call).ToList();
                    return step.B % 10 == 0 || calls.Count == 0
                        ? new HungUp(Ids.Of(1 + (step.A % (_nextContact + 2))))
                        : new HungUp(calls[step.A % calls.Count].ContactId);
                case Complete:
                    return step.B % 10 == 0 || assigned.Count == 0
                        ? (snapshot.Contacts.Count > 0 ? new ContactCompleted(snapshot.Contacts[step.A % snapshot.Contacts.Count].ContactId) : null)
                        : new ContactCompleted(assigned[step.A % assigned.Count]);
                case FailConnect:
                    var connected = snapshot.Advisors.Where(a => a.CurrentCall is not null).ToList();
                    return connected.Count == 0 ? null : new ConnectFailed(connected[step.A % connected.Count].CurrentCall!.Value, "bridge failed");
                case EndWrapUp:
                    var wrapping = snapshot.Advisors.Where(a => a.WrapUpEndsAt is not null).ToList();
                    return new WrapUpEnded(step.B % 4 == 0 || wrapping.Count == 0 ? advisor : wrapping[step.A % wrapping.Count].AdvisorId);
                case ExtendWrapUp:
                    return new WrapUpExtended(advisor, (step.B % 3) switch
                    {
                        0 => TimeSpan.FromSeconds(-5),
                        1 => null,
                        _ => TimeSpan.FromSeconds(45),
                    });
                default:
                    return null;
            }
        }
    }
}
