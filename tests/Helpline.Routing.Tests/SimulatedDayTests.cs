using Helpline.Contracts;
using Helpline.Routing;
using Xunit.Abstractions;

namespace Helpline.Routing.Tests;

/// <summary>
/// A busy helpline day driven through the pure core: Poisson arrivals over opening hours, random handle times,
/// callers who hang up when they have waited longer than their patience, advisors who miss or decline offers,
/// take breaks and leave before closing. Seeded, so every run is the same day.
/// </summary>
public sealed class SimulatedDayTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(AdvisorSelection.LongestIdle, 1)]
    [InlineData(AdvisorSelection.RoundRobin, 2)]
    [InlineData(AdvisorSelection.LongestIdle, 3)]
    public void A_busy_day_keeps_every_invariant_and_the_totals_reconcile(AdvisorSelection selection, int seed)
    {
        var day = new Day(seed, new RoutingOptions
        {
            AdvisorSelection = selection,
            CallLimits = new ChannelLimits { MaxQueueLength = 6, MaxWait = TimeSpan.FromMinutes(12) },
        });

        day.Run();

        var ledger = day.Ledger;
        var snapshot = day.State.ToSnapshot();
        var assignedNow = snapshot.Advisors.Sum(a => a.OpenEmails.Count + (a.CurrentCall is null ? 0 : 1));
        var waitingNow = snapshot.Contacts.Count - assignedNow;
        var completed = ledger.Count(ContactOutcome.Completed);
        var abandoned = ledger.Count(ContactOutcome.Abandoned);
        var overflow = ledger.Count(ContactOutcome.Overflow);
        var noAdvisors = ledger.Count(ContactOutcome.NoAdvisors);

        output.WriteLine(
            $"received {day.Received}: answered {ledger.Answered} ({completed} completed, {assignedNow} in progress), "
            + $"abandoned {abandoned}, overflow {overflow}, no advisors {noAdvisors}, waiting {waitingNow}; "
            + $"{ledger.Offers} offers, {ledger.Rejections} rejected late answers, "
            + $"{ledger.Seen.GetValueOrDefault("AdvisorStatusChanged:Break:missed offers")} missed-offer breaks");
        Assert.Equal(day.Received, ledger.Received);
        Assert.Equal(completed + assignedNow, ledger.Answered);
        Assert.Equal(day.Received, ledger.Answered + abandoned + overflow + noAdvisors + waitingNow);
        Assert.Equal(waitingNow, ledger.LiveIn(ContactState.Waiting) + ledger.LiveIn(ContactState.Offered));
        Assert.All(new[] { completed, abandoned, overflow, noAdvisors }, count => Assert.True(count > 0));
        Assert.True(day.Received > 150, $"only {day.Received} contacts");
        Assert.True(ledger.Seen.ContainsKey("AdvisorStatusChanged:Break:missed offers"));
        Assert.True(ledger.Seen.ContainsKey("AssignmentUndone:ConnectFailed"));
    }

    private sealed class Day
    {
        private static readonly DateTimeOffset Opening = new(2025, 3, 3, 9, 30, 0, TimeSpan.Zero);
        private static readonly DateTimeOffset Closing = new(2025, 3, 3, 16, 0, 0, TimeSpan.Zero);
        private static readonly Skills[] Team =
            [Skills.CallsAndEmails, Skills.CallsAndEmails, Skills.Calls, Skills.Calls, Skills.Emails, Skills.CallsAndEmails];

        private readonly Random _random;
        private readonly PriorityQueue<(RoutingEvent Event, Func<bool>? Guard), (DateTimeOffset At, long Order)> _agenda = new();
        private long _order;

        public Day(int seed, RoutingOptions options)
        {
            _random = new Random(seed);
            State = new RouterState(options);
        }

        public RouterState State { get; }

        public Ledger Ledger { get; } = new();

        public int Received { get; private set; }

        public void Run()
        {
            PlanAdvisors();
            PlanArrivals(ContactChannel.Call, perHour: 36);
            PlanArrivals(ContactChannel.Email, perHour: 6);
            while (true)
            {
                var simulated = _agenda.TryPeek(out _, out var key) ? key.At : (DateTimeOffset?)null;
                var timer = State.NextDueAt;
                if (timer is { } due && (simulated is null || due < simulated))
                {
                    if (due > Closing)
                    {
                        return;
                    }

                    Apply(Tick.Instance, due);
                    continue;
                }

                if (simulated is null || simulated > Closing)
                {
                    return;
                }

                var (routingEvent, guard) = _agenda.Dequeue();
                if (guard is null || guard())
                {
                    Apply(routingEvent, simulated.Value);
                }
            }
        }

        private void PlanAdvisors()
        {
            for (var i = 0; i < Team.Length; i++)
            {
                var advisor = Ids.Of(50_000 + i);
                Plan(Opening.AddMinutes(-30), new AdvisorConfigured(advisor, Team[i], 2 + (i % 2)));
                Plan(Opening.AddMinutes(8 + (2 * i)), new AdvisorStatusRequested(advisor, AdvisorStatus.Available));
                var lunch = Opening.AddHours(2.5).AddMinutes(20 * i);
                Plan(lunch, new AdvisorStatusRequested(advisor, AdvisorStatus.Break, "lunch"));
                Plan(lunch.AddMinutes(30), new AdvisorStatusRequested(advisor, AdvisorStatus.Available));
                if (i % 3 == 0)
                {
                    Plan(Opening.AddHours(4.5), new AdvisorStatusRequested(advisor, AdvisorStatus.Break, "training"));
                    Plan(Opening.AddHours(4.75), new AdvisorStatusRequested(advisor, AdvisorStatus.Available));
                }

                Plan(Closing.AddMinutes(-40 + (10 * i)), new AdvisorStatusRequested(advisor, AdvisorStatus.Offline));
            }
        }

        private void PlanArrivals(ContactChannel channel, double perHour)
        {
            var at = Opening;
            var sequence = channel == ContactChannel.Call ? 0 : 100_000;
            while (true)
            {
                at = at.AddHours(-Math.Log(1 - _random.NextDouble()) / perHour);
                if (at >= Closing)
                {
                    return;
                }

                var contact = Ids.Of(++sequence);
                var roll = _random.NextDouble();
                var priority = roll < 0.05 ? ContactPriority.Urgent : roll < 0.15 ? ContactPriority.HighRisk : ContactPriority.Normal;
                Plan(at, new ContactArrived(contact, channel, priority));
                if (channel == ContactChannel.Call)
                {
                    var patience = TimeSpan.FromMinutes(Exponential(mean: 5));
                    Plan(at + patience, new HungUp(contact), () => State.StateOf(contact) is ContactState.Waiting or ContactState.Offered);
                }
            }
        }

        private void Apply(RoutingEvent routingEvent, DateTimeOffset now)
        {
            if (routingEvent is ContactArrived)
            {
                Received++;
            }

            var decisions = Router.Apply(State, routingEvent, now);
            Ledger.Record(State, decisions);
            Invariants.Check(State);
            foreach (var decision in decisions)
            {
                React(decision, now);
            }
        }

        /// <summary>What advisors, callers and the telephony provider do next.</summary>
        private void React(RoutingDecision decision, DateTimeOffset now)
        {
            switch (decision)
            {
                case OfferMade offer:
                    var roll = _random.NextDouble();
                    var answerAfter = TimeSpan.FromSeconds(roll < 0.03 ? 25 : 1 + (15 * _random.NextDouble()));
                    if (roll < 0.86)
                    {
                        Plan(now + answerAfter, new OfferAccepted(offer.OfferId, offer.AdvisorId));
                    }
                    else if (roll < 0.90)
                    {
                        Plan(now + answerAfter, new OfferDeclined(offer.OfferId, offer.AdvisorId));
                    }

                    break;
                case ContactAssigned { Channel: ContactChannel.Call } assigned:
                    if (_random.NextDouble() < 0.02)
                    {
                        Plan(now.AddSeconds(1), new ConnectFailed(assigned.ContactId, "advisor leg did not answer"));
                    }
                    else
                    {
                        var talk = TimeSpan.FromMinutes(1 + Exponential(mean: 8));
                        Plan(now + talk, _random.NextDouble() < 0.5 ? new HungUp(assigned.ContactId) : new ContactCompleted(assigned.ContactId));
                    }

                    break;
                case ContactAssigned email:
                    Plan(now + TimeSpan.FromMinutes(5 + (40 * _random.NextDouble())), new ContactCompleted(email.ContactId));
                    break;
                case AdvisorStatusChanged { Status: AdvisorStatus.Break, Reason: "missed offers" } missed:
                    Plan(now.AddMinutes(2 + (4 * _random.NextDouble())), new AdvisorStatusRequested(missed.AdvisorId, AdvisorStatus.Available));
                    break;
                case WrapUpScheduled wrapUp when wrapUp.EndsAt == now + State.Options.WrapUp:
                    var wrapRoll = _random.NextDouble();
                    if (wrapRoll < 0.25)
                    {
                        Plan(now.AddSeconds(10 + (40 * _random.NextDouble())), new WrapUpEnded(wrapUp.AdvisorId));
                    }
                    else if (wrapRoll < 0.35)
                    {
                        Plan(now.AddSeconds(30), new WrapUpExtended(wrapUp.AdvisorId));
                    }

                    break;
            }
        }

        private double Exponential(double mean) => -mean * Math.Log(1 - _random.NextDouble());

        private void Plan(DateTimeOffset at, RoutingEvent routingEvent, Func<bool>? guard = null) =>
            _agenda.Enqueue((routingEvent, guard), (at, _order++));
    }
}
