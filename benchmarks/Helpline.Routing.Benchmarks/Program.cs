using System.Diagnostics;
using System.Globalization;
using Helpline.Routing;
using Helpline.Routing.Benchmarks;

var eventCount = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_500_000;
var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 7;
const int Advisors = 20;
var options = new RoutingOptions
{
    CallLimits = new ChannelLimits { MaxQueueLength = 50, MaxWait = TimeSpan.FromMinutes(10) },
};

var recording = Stopwatch.StartNew();
var events = EventStream.Record(eventCount, Advisors, options);
recording.Stop();
Print($"Recorded {events.Count:N0} events with {Advisors} advisors in {recording.Elapsed.TotalSeconds:F1} s; replaying {runs} times after one warm-up.");
Print(Describe(events));

var results = new List<Replay.Result>();
for (var run = 0; run <= runs; run++)
{
    var result = Replay.Run(events, options);
    if (run > 0)
    {
        results.Add(result);
        Print($"  run {run}: {result.EventsPerSecond,12:N0} events/s  {result.BytesPerEvent,8:N0} B/event  {result.Decisions:N0} decisions ({result.Rejections:N0} events rejected)  gen0 GCs {result.Gen0Collections}");
    }

    if (result.Decisions != results.FirstOrDefault(result).Decisions || result.Fingerprint != results.FirstOrDefault(result).Fingerprint)
    {
        throw new InvalidOperationException("Replays differ: the router is not deterministic.");
    }
}

var median = results.OrderBy(r => r.EventsPerSecond).ElementAt(results.Count / 2);
Print($"Median: {median.EventsPerSecond:N0} events/s ({1e9 / median.EventsPerSecond:N0} ns/event), "
    + $"{median.AllocatedBytes / 1024.0 / 1024.0:N1} MiB allocated per replay ({median.BytesPerEvent:N0} B/event).");
Print(median.EventsPerSecond >= 100_000 ? "Target of 100,000 events/s: met." : "Target of 100,000 events/s: NOT met.");
return median.EventsPerSecond >= 100_000 ? 0 : 1;

static void Print(string line) => Console.WriteLine(line);

static string Describe(IReadOnlyList<TimedEvent> events)
{
    var byType = events.GroupBy(e => e.Event.GetType().Name)
        .OrderByDescending(g => g.Count())
        .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key} {g.Count():N0}"));
    return "  mix: " + string.Join(", ", byType);
}
