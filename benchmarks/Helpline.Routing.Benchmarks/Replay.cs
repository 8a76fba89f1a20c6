using System.Diagnostics;

namespace Helpline.Routing.Benchmarks;

internal static class Replay
{
    public static Result Run(IReadOnlyList<TimedEvent> events, RoutingOptions options)
    {
        var state = new RouterState(options);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var gen0 = GC.CollectionCount(0);
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        long decisions = 0;
        long fingerprint = 0;
        long rejections = 0;
        var stopwatch = Stopwatch.StartNew();
        foreach (var (routingEvent, at) in events)
        {
            var produced = Router.Apply(state, routingEvent, at);
            decisions += produced.Count;
            if (produced.Count > 0 && produced[0] is Rejected)
            {
                rejections++;
            }

            if (produced.Count > 0 && produced[^1] is OfferMade offer)
            {
                fingerprint = (fingerprint * 31) + offer.OfferId + offer.AdvisorId.GetHashCode();
            }
        }

        stopwatch.Stop();
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        return new Result(
            events.Count / stopwatch.Elapsed.TotalSeconds,
            allocated,
            (double)allocated / events.Count,
            decisions,
            rejections,
            fingerprint,
            GC.CollectionCount(0) - gen0);
    }

    internal readonly record struct Result(
        double EventsPerSecond,
        long AllocatedBytes,
        double BytesPerEvent,
        long Decisions,
        long Rejections,
        long Fingerprint,
        int Gen0Collections);
}
