using System.Diagnostics.Metrics;
using Helpline.Routing;

namespace Helpline.Console.RouterHosting;

/// <summary>The router's instruments, updated from the same transitions that are persisted.</summary>
internal sealed class RoutingMetrics
{
    private readonly Counter<long> _events;
    private readonly Counter<long> _offers;
    private readonly Counter<long> _ended;
    private readonly Counter<long> _rejected;
    private readonly Histogram<double> _wait;

    public RoutingMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(ConsoleTelemetry.Name + ".Routing");
        _events = meter.CreateCounter<long>("helpline.routing.events", "{event}", "Events applied by the router.");
        _offers = meter.CreateCounter<long>("helpline.routing.offers", "{offer}", "Offers made to advisors, by channel.");
        _ended = meter.CreateCounter<long>("helpline.routing.contacts.ended", "{contact}", "Contacts that reached a terminal outcome, by channel and outcome.");
        _rejected = meter.CreateCounter<long>("helpline.routing.rejected", "{event}", "Events the router refused, by code.");
        _wait = meter.CreateHistogram<double>("helpline.routing.wait", "s", "Time from entering the queue to being assigned, by channel.");
    }

    public void Transition(int events, IReadOnlyList<RoutingDecision> decisions)
    {
        _events.Add(events);
        foreach (var decision in decisions)
        {
            switch (decision)
            {
                case OfferMade offer:
                    _offers.Add(1, new KeyValuePair<string, object?>("channel", offer.Channel.ToString()));
                    break;
                case ContactAssigned assigned:
                    _wait.Record(assigned.WaitTime.TotalSeconds, new KeyValuePair<string, object?>("channel", assigned.Channel.ToString()));
                    break;
                case ContactEnded ended:
                    _ended.Add(1, new KeyValuePair<string, object?>("channel", ended.Channel.ToString()), new KeyValuePair<string, object?>("outcome", ended.Outcome.ToString()));
                    break;
                case Rejected rejected:
                    _rejected.Add(1, new KeyValuePair<string, object?>("code", rejected.Code.ToString()));
                    break;
            }
        }
    }
}
