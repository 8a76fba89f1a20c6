using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Helpline.LoadGenerator.Latency;

/// <summary>
/// Issue #3's benchmark: with N advisors Available, calls are posted to Intake at a fixed rate and
/// each call's time from its 202 Accepted to the first ContactOffered any advisor receives is
/// measured. The bare RabbitMQ round trip on the same broker is measured beside it, once on the
/// idle system and once during the calls.
/// </summary>
internal sealed class LatencyBenchmark(LatencyOptions options)
{
    private const int ListedCalls = 10;
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan DrainMargin = TimeSpan.FromSeconds(30);

    private readonly Counters _counters = new();
    private readonly CallLog _calls = new();
    private readonly ConcurrentBag<TimeSpan> _acceptRoundTrips = [];
    private readonly ProcessCpu _cpu = ProcessCpu.OfRunCommand(options.DataFolder);
    private IReadOnlyList<BenchmarkAdvisor> _advisors = [];
    private CpuReading? _cpuBefore;
    private long _cpuFrom;

    public async Task<int> RunAsync(string runId, CancellationToken cancellationToken)
    {
        Report.Heading(string.Create(CultureInfo.InvariantCulture,
            $"latency, run {runId}: {options.Advisors} advisors, {options.Rate} calls/s for {options.Seconds} s after {options.WarmupSeconds} s of warm-up, talk {options.Talk}"));
        using var intake = new IntakeClient(options.Target.Intake, options.Target.IntakeKey);
        var signInStarted = Stopwatch.GetTimestamp();
        await using var team = await AdvisorTeam.SignInAsync(options.Target, $"bench-{runId}", options.Advisors, _counters, cancellationToken);
        Report.Line("advisors signed in and Available", $"{options.Advisors} in {Stopwatch.GetElapsedTime(signInStarted).TotalSeconds:F1} s");

        using var stopAdvisors = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _advisors = team.Members.Select(member => new BenchmarkAdvisor(member, _calls, options.Talk, _acceptRoundTrips, _counters)).ToList();
        var advisors = _advisors.Select(advisor => advisor.RunAsync(stopAdvisors.Token)).ToList();

        var idleFloor = await MeasureFloorAsync(options.FloorMessages, "idle broker", cancellationToken);
        var (posting, loadedFloor) = await PostCallsAsync(intake, runId, cancellationToken);
        await WaitForOffersAsync(cancellationToken);
        if (!await team.WaitUntilIdleAsync(options.Talk.Longest + DrainMargin, cancellationToken))
        {
            _counters.Add("advisors still busy after the last offer");
        }

        var cpuAfter = _cpu.Read();
        var cpuWindow = Stopwatch.GetElapsedTime(_cpuFrom);

        var offline = await team.SignOffAsync(options.Talk.Longest + DrainMargin, cancellationToken);
        await stopAdvisors.CancelAsync();
        await Task.WhenAll(advisors.Select(advisor => advisor.IgnoringCancellation()));
        await HangUpUnfinishedAsync(intake, cancellationToken);
        return PrintResults(posting, idleFloor, loadedFloor, offline, () => cpuAfter.ReportPerCall(_cpuBefore!, options.MeasuredCalls, cpuWindow));
    }

    private async Task<LatencySummary?> MeasureFloorAsync(int messages, string label, CancellationToken cancellationToken)
    {
        if (messages == 0)
        {
            return null;
        }

        Report.Line($"RabbitMQ floor ({label})", string.Create(CultureInfo.InvariantCulture, $"{messages:N0} messages at {options.Rate}/s"));
        return await RabbitFloor.MeasureAsync(options.Target.Broker, messages, options.Rate, cancellationToken);
    }

    /// <summary>
    /// Posts warm-up and measured calls on one schedule; the floor during the calls starts with the
    /// measured ones. Returns how long posting the measured calls took, and that floor.
    /// </summary>
    private async Task<(TimeSpan Posting, LatencySummary? Floor)> PostCallsAsync(IntakeClient intake, string runId, CancellationToken cancellationToken)
    {
        var total = options.WarmupCalls + options.MeasuredCalls;
        Report.Line("calls", string.Create(CultureInfo.InvariantCulture, $"{options.WarmupCalls:N0} warm-up, then {options.MeasuredCalls:N0} measured"));
        using var stopProgress = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var progress = ReportProgressAsync(stopProgress.Token);
        var pacer = new Pacer();
        var posts = new List<Task>(total);
        Task<LatencySummary?> floor = Task.FromResult<LatencySummary?>(null);
        var measuredFrom = 0L;
        for (var index = 0; index < total; index++)
        {
            await pacer.WaitUntilAsync(Pacer.AtRate(index, options.Rate), cancellationToken);
            if (index == options.WarmupCalls)
            {
                measuredFrom = Stopwatch.GetTimestamp();
                _cpuFrom = measuredFrom;
                _cpuBefore = _cpu.Read();
                floor = MeasureFloorAsync(Math.Min(options.FloorMessages, options.MeasuredCalls), "during the calls", cancellationToken);
            }

            var measured = index >= options.WarmupCalls;
            posts.Add(PostAsync(intake, measured ? $"bench-{runId}-{index}" : $"bench-{runId}-warmup-{index}", measured, cancellationToken));
        }

        var posting = Stopwatch.GetElapsedTime(measuredFrom);
        await Task.WhenAll(posts);
        var loadedFloor = await floor;
        await stopProgress.CancelAsync();
        await progress.IgnoringCancellation();
        return (posting, loadedFloor);
    }

    private async Task PostAsync(IntakeClient intake, string providerCallId, bool measured, CancellationToken cancellationToken)
    {
        var sentAt = Stopwatch.GetTimestamp();
        try
        {
            var contactId = await intake.AnnounceAsync(providerCallId, Callers.Number(options.WithheldChance), cancellationToken);
            _calls.Accepted(contactId, providerCallId, sentAt, Stopwatch.GetTimestamp(), measured);
        }
        catch (Exception exception) when (IntakeClient.IsFailure(exception) && !cancellationToken.IsCancellationRequested)
        {
            _counters.Add($"POST /api/calls failed: {IntakeClient.Describe(exception)}");
        }
    }

    private async Task ReportProgressAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var timer = new PeriodicTimer(ProgressInterval);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            var posted = _calls.Posted;
            Report.Line(
                $"  after {Stopwatch.GetElapsedTime(started).TotalSeconds:F0} s",
                string.Create(CultureInfo.InvariantCulture, $"{posted.Count:N0} accepted, {posted.Count(call => call.IsOffered):N0} offered, {posted.Count(call => !call.IsOffered):N0} waiting for an offer, {_advisors.Count(advisor => !advisor.IsBusy):N0} advisors free"));
        }
    }

    /// <summary>Until every posted call has been offered or has waited <see cref="LatencyOptions.OfferTimeout"/> since its 202.</summary>
    private async Task WaitForOffersAsync(CancellationToken cancellationToken)
    {
        while (_calls.Posted.Any(call => !call.IsOffered && Stopwatch.GetElapsedTime(call.AcceptedAt) < options.OfferTimeout))
        {
            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    /// <summary>
    /// Calls no advisor completed are hung up, so that none waits in the queue for a later run's
    /// advisors; Intake's answer (Abandoned, or Completed if it was answered) is counted.
    /// </summary>
    private async Task HangUpUnfinishedAsync(IntakeClient intake, CancellationToken cancellationToken)
    {
        foreach (var call in _calls.Posted.Where(call => !call.IsCompleted))
        {
            try
            {
                var result = await intake.HangUpAsync(call.ProviderCallId!, cancellationToken);
                _counters.Add($"hung up at the end, not completed: {result.State}");
            }
            catch (Exception exception) when (IntakeClient.IsFailure(exception) && !cancellationToken.IsCancellationRequested)
            {
                _counters.Add($"hang-up failed: {IntakeClient.Describe(exception)}");
            }
        }
    }

    private int PrintResults(TimeSpan posting, LatencySummary? idleFloor, LatencySummary? loadedFloor, int offline, Action reportCpu)
    {
        var measured = _calls.Posted.Where(call => call.Measured).ToList();
        var offered = measured.Where(call => call.IsOffered).ToList();
        var late = offered.Count(call => call.AcceptedToOffered > options.OfferTimeout);
        var neverOffered = measured.Where(call => !call.IsOffered).ToList();

        Report.Heading("results (measured calls only, times in milliseconds)");
        Report.Line("calls accepted (202)", string.Create(CultureInfo.InvariantCulture,
            $"{measured.Count:N0} of {options.MeasuredCalls:N0}, posted over {posting.TotalSeconds:F1} s"));
        Report.Line("POST /api/calls -> 202", LatencySummary.Of(measured.Select(call => call.SentToAccepted)));
        Report.Line("202 -> ContactOffered at an advisor", LatencySummary.Of(offered.Select(call => call.AcceptedToOffered)));
        Report.Line("POST sent -> ContactOffered", LatencySummary.Of(offered.Select(call => call.SentToOffered)));
        Report.Line("AcceptOffer invocation (all calls)", LatencySummary.Of(_acceptRoundTrips));
        Report.Line("RabbitMQ publish -> consume, idle broker", idleFloor?.ToString() ?? "not measured");
        Report.Line("RabbitMQ publish -> consume, during calls", loadedFloor?.ToString() ?? "not measured");
        Report.Line($"offered after more than {options.OfferTimeout.TotalSeconds:F0} s", late);
        Report.Line("never offered", neverOffered.Count);
        foreach (var call in neverOffered.Take(ListedCalls))
        {
            Report.Line("  providerCallId", call.ProviderCallId);
        }

        Report.Line("measured calls offered more than once", measured.Count(call => call.Offers > 1));
        Report.Line("offers of contacts this run did not post", _calls.Foreign);
        Report.Line("measured calls completed by an advisor", measured.Count(call => call.IsCompleted));
        Report.Line("advisors seen Offline at the end", $"{offline} of {options.Advisors}");
        reportCpu();
        Report.Counts(_counters);
        return measured.Count == options.MeasuredCalls && late == 0 && neverOffered.Count == 0 ? 0 : 1;
    }
}
