using System.Diagnostics.Metrics;
using Helpline.Contracts;
using Helpline.Routing;

namespace Helpline.Console.RouterHosting;

/// <summary>
/// The router's instruments, updated from the same transitions that are persisted, and the demand
/// figures the dashboards watch live (names in docs/reporting.md). Labels are channels, outcomes,
/// reasons and statuses only: never caller data. The observable gauges read the state of the router's
/// latest transition on the instance that is routing; every other instance reports none, so a sum over
/// instances is the router's figure.
/// </summary>
internal sealed class RoutingMetrics
{
    /// <summary>Bucket bounds of the wait histogram: 20 s among them, so that SL(20 s) can be read from it.</summary>
    private static readonly IReadOnlyList<double> WaitBuckets = [5, 10, 20, 30, 60, 120, 300, 600, 1200, 1800, 3600];

    private readonly Counter<long> _events;
    private readonly Counter<long> _offers;
    private readonly Counter<long> _ended;
    private readonly Counter<long> _rejected;
    private readonly Histogram<double> _wait;
    private readonly Counter<long> _answered;
    private readonly Counter<long> _unanswered;
    private readonly Histogram<double> _contactWait;
    private readonly TimeProvider _time;
    private RouterSummary? _latest;

    public RoutingMetrics(IMeterFactory meterFactory, TimeProvider time)
    {
        _time = time;
        var meter = meterFactory.Create(ConsoleTelemetry.Name + ".Routing");
        _events = meter.CreateCounter<long>("helpline.routing.events", "{event}", "Events applied by the router.");
        _offers = meter.CreateCounter<long>("helpline.routing.offers", "{offer}", "Offers made to advisors, by channel.");
        _ended = meter.CreateCounter<long>("helpline.routing.contacts.ended", "{contact}", "Contacts that reached a terminal outcome, by channel and outcome.");
        _rejected = meter.CreateCounter<long>("helpline.routing.rejected", "{event}", "Events the router refused, by code.");
        _wait = meter.CreateHistogram<double>("helpline.routing.wait", "s", "Time from entering the queue to being assigned, by channel.");
        _answered = meter.CreateCounter<long>("helpline.contacts.answered", "{contact}", "Calls answered: the phone network bridged them to an advisor, by channel.");
        _unanswered = meter.CreateCounter<long>(
            "helpline.contacts.unanswered",
            "{contact}",
            "Calls not answered, by channel and reason: out_of_hours, no_advisors, abandoned, short_abandon, overflow.");
        _contactWait = meter.CreateHistogram(
            "helpline.contacts.wait",
            "s",
            "Time from entering the queue to the answer (outcome answered) or to the end (abandoned, overflow, no_advisors), by channel and outcome, as the router ends contacts.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = WaitBuckets });
        meter.CreateObservableGauge("helpline.queue.length", () => Channels(c => c.Queued), "{contact}", "Contacts waiting or ringing now, by channel.");
        meter.CreateObservableGauge("helpline.queue.oldest_wait", OldestWaits, "s", "How long the longest waiting contact has waited now, by channel (0 when none waits).");
        meter.CreateObservableGauge("helpline.advisors", Advisors, "{advisor}", "Advisors in each status now (Offline, Available, Offered, OnContact, WrapUp, Break).");
        meter.CreateObservableGauge("helpline.emails.backlog", EmailBacklog, "{conversation}", "Email conversations open now: waiting for an advisor or being answered.");
    }

    public void Transition(int events, IReadOnlyList<RoutingDecision> decisions, RouterSummary summary)
    {
        _events.Add(events);
        foreach (var decision in decisions)
        {
            switch (decision)
            {
                case OfferMade offer:
                    _offers.Add(1, Channel(offer.Channel));
                    break;
                case ContactAssigned assigned:
                    _wait.Record(assigned.WaitTime.TotalSeconds, Channel(assigned.Channel));
                    break;
                case ContactEnded ended:
                    _ended.Add(1, Channel(ended.Channel), new KeyValuePair<string, object?>("outcome", ended.Outcome.ToString()));
                    Ended(ended);
                    break;
                case Rejected rejected:
                    _rejected.Add(1, new KeyValuePair<string, object?>("code", rejected.Code.ToString()));
                    break;
            }
        }

        Volatile.Write(ref _latest, summary);
    }

    /// <summary>This instance stopped routing: its gauges report nothing until it routes again.</summary>
    public void Forget() => Volatile.Write(ref _latest, null);

    /// <summary>The phone network bridged a call (counted once per call, not per redelivery).</summary>
    public void Answered(ContactChannel channel) => _answered.Add(1, Channel(channel));

    /// <summary>A call Intake recorded out of hours, or a caller who hung up before an answer (short or not), as Intake reported it.</summary>
    public void Unanswered(string reason) => _unanswered.Add(1, Channel(ContactChannel.Call), Reason(reason));

    /// <summary>
    /// No advisors and overflow are the router's own decisions; abandons are counted from Intake's report
    /// of the hang-up (<see cref="Unanswered"/>), which also covers a caller who hung up while being connected.
    /// </summary>
    private void Ended(ContactEnded ended)
    {
        var outcome = ended.Outcome switch
        {
            ContactOutcome.Completed => "answered",
            ContactOutcome.Abandoned => "abandoned",
            ContactOutcome.Overflow => "overflow",
            _ => "no_advisors",
        };
        _contactWait.Record(ended.WaitTime.TotalSeconds, Channel(ended.Channel), new KeyValuePair<string, object?>("outcome", outcome));
        if (ended.Outcome is ContactOutcome.NoAdvisors or ContactOutcome.Overflow)
        {
            _unanswered.Add(1, Channel(ended.Channel), Reason(outcome));
        }
    }

    private IEnumerable<Measurement<int>> Channels(Func<ChannelSummary, int> count) =>
        Volatile.Read(ref _latest) is { } latest
            ? latest.Channels.Select(c => new Measurement<int>(count(c.Value), Channel(c.Key)))
            : [];

    private IEnumerable<Measurement<double>> OldestWaits()
    {
        if (Volatile.Read(ref _latest) is not { } latest)
        {
            return [];
        }

        var now = _time.GetUtcNow();
        return latest.Channels.Select(c => new Measurement<double>(c.Value.OldestEnteredAt is { } entered ? Math.Max(0, (now - entered).TotalSeconds) : 0, Channel(c.Key)));
    }

    private IEnumerable<Measurement<int>> EmailBacklog() =>
        Volatile.Read(ref _latest)?.Channels.GetValueOrDefault(ContactChannel.Email) is { } email ? [new Measurement<int>(email.Queued + email.Assigned)] : [];

    private IEnumerable<Measurement<int>> Advisors() =>
        Volatile.Read(ref _latest) is { } latest
            ? latest.Advisors.Select(a => new Measurement<int>(a.Value, new KeyValuePair<string, object?>("status", a.Key.ToString())))
            : [];

    private static KeyValuePair<string, object?> Channel(ContactChannel channel) => new("channel", channel.ToString());

    private static KeyValuePair<string, object?> Reason(string reason) => new("reason", reason);
}
