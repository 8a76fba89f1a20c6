using Helpline.Contracts;
using Helpline.Routing;

namespace Helpline.Routing.Benchmarks;

internal readonly record struct TimedEvent(RoutingEvent Event, DateTimeOffset At);

/// <summary>
/// Records a deterministic event stream by simulating a large contact centre against the router: Poisson
/// arrivals (calls and emails, mixed priorities), advisors who accept, decline or miss offers, take breaks,
/// callers who hang up, failed connects, early and extended wrap-ups, and Ticks whenever a router timer is due,
/// as a host would schedule them. The stream replays identically because the router is deterministic.
/// </summary>
internal sealed class EventStream
{
    private readonly Random _random;
    private readonly RouterState _state;
    private readonly PriorityQueue<RoutingEvent, (DateTimeOffset At, long Order)> _agenda = new();
    private readonly List<TimedEvent> _events;
    private readonly HashSet<Guid> _answered = [];
    private readonly int _advisors;
    private long _order;
    private int _nextContact;

    private EventStream(int seed, int advisors, int capacity, RoutingOptions options)
    {
        _random = new Random(seed);
        _advisors = advisors;
        _events = new List<TimedEvent>(capacity);
        _state = new RouterState(options);
    }

    public static IReadOnlyList<TimedEvent> Record(int eventCount, int advisors, RoutingOptions options)
    {
        var stream = new EventStream(seed: 20250303, advisors, eventCount, options);
        stream.Run(eventCount);
        return stream._events;
    }

    private void Run(int eventCount)
    {
        var start = new DateTimeOffset(2025, 3, 3, 9, 30, 0, TimeSpan.Zero);
        for (var i = 0; i < _advisors; i++)
        {
            var skills = (i % 4) switch
            {
                0 => Skills.Calls,
                1 => Skills.Emails,
                _ => Skills.CallsAndEmails,
            };
            Plan(start, new AdvisorConfigured(AdvisorId(i), skills, 3));
            Plan(start.AddSeconds(i), new AdvisorStatusRequested(AdvisorId(i), AdvisorStatus.Available));
            Plan(start.AddMinutes(30 + (7 * i)), new AdvisorStatusRequested(AdvisorId(i), AdvisorStatus.Break, "scheduled break"));
        }

        Plan(start, NextArrival());
        while (_events.Count < eventCount)
        {
            _agenda.TryPeek(out _, out var next);
            if (_state.NextDueAt is { } due && due < next.At)
            {
                Apply(Tick.Instance, due);
            }
            else
            {
                var routingEvent = _agenda.Dequeue();
                if (routingEvent is not HungUp { ContactId: var caller } || !_answered.Contains(caller))
                {
                    Apply(routingEvent, next.At);
                }
            }
        }
    }

    private void Apply(RoutingEvent routingEvent, DateTimeOffset now)
    {
        _events.Add(new TimedEvent(routingEvent, now));
        if (routingEvent is ContactArrived)
        {
            Plan(now.AddSeconds(Exponential(mean: 8)), NextArrival());
        }

        if (routingEvent is AdvisorStatusRequested { Status: AdvisorStatus.Break } onBreak)
        {
            Plan(now.AddMinutes(15), new AdvisorStatusRequested(onBreak.AdvisorId, AdvisorStatus.Available));
            Plan(now.AddHours(2), new AdvisorStatusRequested(onBreak.AdvisorId, AdvisorStatus.Break, "scheduled break"));
        }

        foreach (var decision in Router.Apply(_state, routingEvent, now))
        {
            React(decision, now);
        }
    }

    private ContactArrived NextArrival()
    {
        var id = new Guid(++_nextContact, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        var channel = _random.NextDouble() < 0.8 ? ContactChannel.Call : ContactChannel.Email;
        var roll = _random.NextDouble();
        var priority = roll < 0.05 ? ContactPriority.Urgent : roll < 0.15 ? ContactPriority.HighRisk : ContactPriority.Normal;
        return new ContactArrived(id, channel, priority);
    }

    private void React(RoutingDecision decision, DateTimeOffset now)
    {
        switch (decision)
        {
            case ContactQueued { Channel: ContactChannel.Call } queued:
                Plan(now.AddSeconds(Exponential(mean: 180)), new HungUp(queued.ContactId));
                break;
            case OfferMade offer:
                var roll = _random.NextDouble();
                var after = TimeSpan.FromSeconds(1 + (14 * _random.NextDouble()));
                if (roll < 0.88)
                {
                    Plan(now + after, new OfferAccepted(offer.OfferId, offer.AdvisorId));
                }
                else if (roll < 0.93)
                {
                    Plan(now + after, new OfferDeclined(offer.OfferId, offer.AdvisorId));
                }

                break;
            case ContactAssigned { Channel: ContactChannel.Call } call:
                _answered.Add(call.ContactId);
                if (_random.NextDouble() < 0.01)
                {
                    Plan(now.AddSeconds(1), new ConnectFailed(call.ContactId, "bridge failed"));
                }
                else
                {
                    Plan(now.AddSeconds(30 + Exponential(mean: 150)), new ContactCompleted(call.ContactId));
                }

                break;
            case ContactAssigned email:
                Plan(now.AddSeconds(60 + Exponential(mean: 600)), new ContactCompleted(email.ContactId));
                break;
            case WrapUpScheduled wrapUp when wrapUp.EndsAt == now + _state.Options.WrapUp:
                var wrapRoll = _random.NextDouble();
                if (wrapRoll < 0.3)
                {
                    Plan(now.AddSeconds(20), new WrapUpEnded(wrapUp.AdvisorId));
                }
                else if (wrapRoll < 0.4)
                {
                    Plan(now.AddSeconds(30), new WrapUpExtended(wrapUp.AdvisorId));
                }

                break;
            case AdvisorStatusChanged { Status: AdvisorStatus.Break, Reason: "missed offers" } missed:
                Plan(now.AddMinutes(3), new AdvisorStatusRequested(missed.AdvisorId, AdvisorStatus.Available));
                break;
        }
    }

    private static Guid AdvisorId(int index) => new(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte)(index + 1));

    private double Exponential(double mean) => -mean * Math.Log(1 - _random.NextDouble());

    private void Plan(DateTimeOffset at, RoutingEvent routingEvent) => _agenda.Enqueue(routingEvent, (at, _order++));
}
