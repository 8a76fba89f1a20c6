using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Helpline.LoadGenerator.Simulation;

/// <summary>
/// Issue #4's traffic simulator. Callers arrive on a schedule shaped by the time of day; each waits
/// up to a random patience for an advisor to accept, then hangs up (<c>/hangup</c>). An answered call
/// lasts a random talk time and is ended by the advisor or the caller (<c>/ended</c>), after which the
/// advisor wraps up. Every figure in the summary is something this program observed.
/// </summary>
internal sealed class TrafficSimulation(SimulationOptions options)
{
    private const int ProgressReports = 10;
    private const double AdvisorEndsCallChance = 0.7;
    private static readonly TimeSpan OfferRingTime = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan DrainMargin = TimeSpan.FromSeconds(10);

    private readonly Counters _counters = new();
    private readonly CallBook _book = new();
    private readonly ConcurrentBag<CallResult> _results = [];
    private int _posted;

    public async Task<int> RunAsync(string runId, CancellationToken cancellationToken)
    {
        var random = options.Seed is { } seed ? new Random(seed) : new Random();
        var arrivals = options.Day.Arrivals(options.Rate, options.Length, options.MaxCalls, random);
        Report.Heading(string.Create(CultureInfo.InvariantCulture,
            $"simulate, run {runId}: a {options.Day.Hours} h day from {options.Day.Opening:HH:mm} in {options.Seconds} s, {options.Advisors} advisors, mean {options.Rate} calls/s"));
        PrintSchedule(arrivals);

        using var intake = new IntakeClient(options.Target.Intake, options.Target.IntakeKey);
        await using var team = await AdvisorTeam.SignInAsync(options.Target, $"sim-{runId}", options.Advisors, _counters, cancellationToken);
        using var stopAdvisors = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var advisors = team.Members
            .Select(member => new SimulatedAdvisor(member, _book, options, _counters).RunAsync(stopAdvisors.Token))
            .ToList();

        using var stopProgress = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var progress = ReportProgressAsync(stopProgress.Token);
        var pacer = new Pacer();
        var callers = new List<Task>(arrivals.Count);
        for (var index = 0; index < arrivals.Count; index++)
        {
            await pacer.WaitUntilAsync(arrivals[index], cancellationToken);
            callers.Add(CallAsync(intake, $"sim-{runId}-{index}", cancellationToken));
        }

        await Task.WhenAll(callers);
        await stopProgress.CancelAsync();
        await progress.IgnoringCancellation();

        var drain = options.AnswerDelay.Longest + OfferRingTime + options.WrapUp.Longest + options.BreakLength.Longest + DrainMargin;
        if (!await team.WaitUntilIdleAsync(drain, cancellationToken))
        {
            _counters.Add("advisors still busy when the day ended");
        }

        var offline = await team.SignOffAsync(drain, cancellationToken);
        await stopAdvisors.CancelAsync();
        await Task.WhenAll(advisors.Select(advisor => advisor.IgnoringCancellation()));
        return PrintSummary(arrivals.Count, pacer.Elapsed, offline);
    }

    private void PrintSchedule(IReadOnlyList<TimeSpan> arrivals)
    {
        Report.Line("calls scheduled", arrivals.Count);
        foreach (var hour in arrivals.GroupBy(at => options.Day.HourAt(at, options.Length)).OrderBy(group => group.Key))
        {
            var from = options.Day.Opening.AddHours(hour.Key);
            var to = options.Day.Opening.AddHours(Math.Min(hour.Key + 1, options.Day.Hours));
            Report.Line($"  {from:HH:mm}-{to:HH:mm}", hour.Count());
        }
    }

    /// <summary>One caller, from dialling to hanging up; bounded by patience, talk time and Intake's timeouts.</summary>
    private async Task CallAsync(IntakeClient intake, string providerCallId, CancellationToken cancellationToken)
    {
        Guid contactId;
        try
        {
            contactId = await intake.AnnounceAsync(providerCallId, Callers.Number(options.WithheldChance), cancellationToken);
        }
        catch (Exception exception) when (IntakeClient.IsFailure(exception) && !cancellationToken.IsCancellationRequested)
        {
            _counters.Add($"POST /api/calls failed: {IntakeClient.Describe(exception)}");
            _results.Add(new CallResult(CallOutcome.NotPosted, Offered: false, TimeSpan.Zero));
            return;
        }

        var postedAt = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref _posted);
        var call = _book.For(contactId);
        var answered = await WaitForAnswerAsync(call, options.Patience.Draw(), cancellationToken);
        var waited = Stopwatch.GetElapsedTime(postedAt);
        var outcome = answered
            ? await TalkAsync(intake, providerCallId, cancellationToken)
            : await HangUpAsync(intake, providerCallId, cancellationToken);
        _results.Add(new CallResult(outcome, call.WasOffered, waited));
    }

    private static async Task<bool> WaitForAnswerAsync(SimulatedCall call, TimeSpan patience, CancellationToken cancellationToken)
    {
        try
        {
            await call.Answered.WaitAsync(patience, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private async Task<CallOutcome> TalkAsync(IntakeClient intake, string providerCallId, CancellationToken cancellationToken)
    {
        await Task.Delay(options.Talk.Draw(), cancellationToken);
        var endedBy = Random.Shared.NextDouble() < AdvisorEndsCallChance ? "Advisor" : "Caller";
        try
        {
            await intake.EndAsync(providerCallId, endedBy, cancellationToken);
            _counters.Add($"answered calls ended by the {endedBy.ToLowerInvariant()}");
        }
        catch (Exception exception) when (IntakeClient.IsFailure(exception) && !cancellationToken.IsCancellationRequested)
        {
            _counters.Add($"ending an answered call failed: {IntakeClient.Describe(exception)}");
        }

        return CallOutcome.Answered;
    }

    /// <summary>Intake's answer to the hang-up says what became of a call nobody answered in time.</summary>
    private async Task<CallOutcome> HangUpAsync(IntakeClient intake, string providerCallId, CancellationToken cancellationToken)
    {
        try
        {
            var result = await intake.HangUpAsync(providerCallId, cancellationToken);
            switch (result.State)
            {
                case "Abandoned":
                    return CallOutcome.Abandoned;
                case "NoAdvisors" or "Overflow":
                    _counters.Add($"turned away: {result.State}");
                    return CallOutcome.TurnedAway;
                case "Completed":
                    _counters.Add("caller hung up just as the call was answered");
                    return CallOutcome.Answered;
                default:
                    _counters.Add($"hang-up left the call {result.State}");
                    return CallOutcome.Unresolved;
            }
        }
        catch (Exception exception) when (IntakeClient.IsFailure(exception) && !cancellationToken.IsCancellationRequested)
        {
            _counters.Add($"hang-up failed: {IntakeClient.Describe(exception)}");
            return CallOutcome.Unresolved;
        }
    }

    private async Task ReportProgressAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var timer = new PeriodicTimer(options.Length / ProgressReports);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            var ended = _results.ToList();
            var elapsed = Stopwatch.GetElapsedTime(started);
            var clock = elapsed <= options.Length ? $"{options.Day.ClockAt(elapsed, options.Length):HH:mm}" : "closed";
            Report.Line($"  {clock}", string.Create(CultureInfo.InvariantCulture,
                $"{Volatile.Read(ref _posted)} posted, {Count(ended, CallOutcome.Answered)} answered, {Count(ended, CallOutcome.Abandoned)} abandoned, {Count(ended, CallOutcome.TurnedAway)} turned away, {Volatile.Read(ref _posted) - ended.Count} in progress"));
        }
    }

    private int PrintSummary(int scheduled, TimeSpan elapsed, int offline)
    {
        var results = _results.ToList();
        var posted = results.Where(result => result.Outcome != CallOutcome.NotPosted).ToList();
        var abandoned = results.Where(result => result.Outcome == CallOutcome.Abandoned).ToList();
        Report.Heading(string.Create(CultureInfo.InvariantCulture, $"summary after {elapsed.TotalSeconds:F0} s (waits in milliseconds, from the 202)"));
        Report.Line("calls scheduled", scheduled);
        Report.Line("calls posted (202)", posted.Count);
        Report.Line("offered to an advisor", posted.Count(result => result.Offered));
        Report.Line("answered", Count(results, CallOutcome.Answered));
        Report.Line("abandoned (hung up before an answer)", string.Create(CultureInfo.InvariantCulture,
            $"{abandoned.Count} ({abandoned.Count(result => result.Offered)} of them after ringing at an advisor)"));
        Report.Line("turned away (NoAdvisors or Overflow)", Count(results, CallOutcome.TurnedAway));
        Report.Line("unresolved", Count(results, CallOutcome.Unresolved));
        Report.Line("wait until answered", LatencySummary.Of(results.Where(result => result.Outcome == CallOutcome.Answered).Select(result => result.Waited)));
        Report.Line("wait until abandoning", LatencySummary.Of(abandoned.Select(result => result.Waited)));
        Report.Line("advisors seen Offline at the end", $"{offline} of {options.Advisors}");
        Report.Counts(_counters);
        return posted.Count == scheduled && Count(results, CallOutcome.Unresolved) == 0 ? 0 : 1;
    }

    private static int Count(IEnumerable<CallResult> results, CallOutcome outcome) => results.Count(result => result.Outcome == outcome);

    private enum CallOutcome
    {
        NotPosted,
        Answered,
        Abandoned,
        TurnedAway,
        Unresolved,
    }

    private sealed record CallResult(CallOutcome Outcome, bool Offered, TimeSpan Waited);
}
