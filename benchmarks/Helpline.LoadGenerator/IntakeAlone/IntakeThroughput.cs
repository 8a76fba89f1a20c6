using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Helpline.LoadGenerator.IntakeAlone;

/// <summary>
/// Issue #16's "Intake alone": calls are posted to Intake at a fixed rate, open loop (a slow answer does
/// not delay the next call), with Console stopped or running; the program measures how many were accepted
/// per second and the time to each 202, and the CPU per call of each server. Every call's provider call id
/// starts with <c>intake-RUN-</c>, so <c>benchmarks/intake-alone.sh</c> can count, once Console is back, that
/// each accepted call became exactly one contact. At the end each accepted call is hung up (unless
/// <c>--hang-up 0</c>), so none waits in the queue for a later run's advisors.
/// </summary>
internal sealed class IntakeThroughput(IntakeOptions options)
{
    private const int HangUpsInFlight = 64;

    private readonly Counters _counters = new();
    private readonly ConcurrentBag<TimeSpan> _accepted = [];
    private readonly ConcurrentBag<string> _acceptedIds = [];

    public async Task<int> RunAsync(string runId, CancellationToken cancellationToken)
    {
        Report.Heading(string.Create(CultureInfo.InvariantCulture,
            $"intake, run {runId}: {options.Rate} calls/s for {options.Seconds} s after {options.WarmupSeconds} s of warm-up; provider call ids intake-{runId}-N"));
        using var intake = new IntakeClient(options.Target.Intake, options.Target.IntakeKey, connections: 512);
        var cpu = ProcessCpu.OfRunCommand(options.DataFolder);
        var pacer = new Pacer();
        var total = options.WarmupCalls + options.MeasuredCalls;
        var posts = new List<Task>(total);
        CpuReading? before = null;
        var measuredFrom = 0L;
        for (var index = 0; index < total; index++)
        {
            await pacer.WaitUntilAsync(Pacer.AtRate(index, options.Rate), cancellationToken);
            if (index == options.WarmupCalls)
            {
                measuredFrom = Stopwatch.GetTimestamp();
                before = cpu.Read();
            }

            posts.Add(PostAsync(intake, $"intake-{runId}-{index}", measured: index >= options.WarmupCalls, cancellationToken));
        }

        var posting = Stopwatch.GetElapsedTime(measuredFrom);
        await Task.WhenAll(posts);
        var window = Stopwatch.GetElapsedTime(measuredFrom);
        var after = cpu.Read();

        Report.Heading("results (measured calls only, times in milliseconds)");
        Report.Line("calls accepted (202)", string.Create(CultureInfo.InvariantCulture,
            $"{_accepted.Count:N0} of {options.MeasuredCalls:N0}, posted over {posting.TotalSeconds:F1} s, answered within {window.TotalSeconds:F1} s"));
        Report.Line("accepted per second", string.Create(CultureInfo.InvariantCulture, $"{_accepted.Count / window.TotalSeconds:F0}"));
        Report.Line("POST /api/calls -> 202", LatencySummary.Of(_accepted));
        Report.Counts(_counters);
        after.ReportPerCall(before!, _accepted.Count, window);
        Report.Line("accepted calls, warm-up included", _acceptedIds.Count);
        if (options.HangUp)
        {
            await HangUpAsync(intake, cancellationToken);
        }

        return _accepted.Count == options.MeasuredCalls ? 0 : 1;
    }

    private async Task PostAsync(IntakeClient intake, string providerCallId, bool measured, CancellationToken cancellationToken)
    {
        var sentAt = Stopwatch.GetTimestamp();
        try
        {
            await intake.AnnounceAsync(providerCallId, Callers.Number(options.WithheldChance), cancellationToken);
            _acceptedIds.Add(providerCallId);
            if (measured)
            {
                _accepted.Add(Stopwatch.GetElapsedTime(sentAt));
            }
        }
        catch (Exception exception) when (IntakeClient.IsFailure(exception) && !cancellationToken.IsCancellationRequested)
        {
            _counters.Add($"POST /api/calls failed: {IntakeClient.Describe(exception)}");
        }
    }

    private async Task HangUpAsync(IntakeClient intake, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var failed = 0;
        await Parallel.ForEachAsync(
            _acceptedIds,
            new ParallelOptions { MaxDegreeOfParallelism = HangUpsInFlight, CancellationToken = cancellationToken },
            async (providerCallId, cancellation) =>
            {
                try
                {
                    await intake.HangUpAsync(providerCallId, cancellation);
                }
                catch (Exception exception) when (IntakeClient.IsFailure(exception) && !cancellation.IsCancellationRequested)
                {
                    Interlocked.Increment(ref failed);
                }
            });
        Report.Line("hung up at the end", string.Create(CultureInfo.InvariantCulture,
            $"{_acceptedIds.Count - failed:N0} in {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s, {failed:N0} failed"));
    }
}
