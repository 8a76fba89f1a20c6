using System.Diagnostics;
using System.Globalization;
using Helpline.LoadGenerator;

namespace Helpline.FaultCampaign;

/// <summary>How one fault went: how long it was held, and how long after it was lifted a new call reached an advisor.</summary>
public sealed record FaultOutcome(string Name, TimeSpan Held, TimeSpan? Recovered);

/// <summary>The campaign's figures.</summary>
public sealed record CampaignResult(
    double TargetRate,
    double RateHeld,
    int Placed,
    int ServerErrors,
    IReadOnlyList<FaultOutcome> Faults,
    Reconciliation Reconciliation)
{
    public bool Passed => Reconciliation.Clean && Faults.All(fault => fault.Recovered is not null);
}

/// <summary>
/// The fault campaign's scenario: advisors sign in, the provider places calls at a steady rate, the faults
/// are injected one after another (each held, lifted, and its recovery timed), the calls stop, the system
/// drains, and everything is reconciled from outside. The program and the suite's short version run this.
/// </summary>
public sealed class Campaign(CampaignTarget target, CampaignSettings settings, TextWriter log)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    public async Task<CampaignResult> RunAsync(IReadOnlyList<FaultStep> faults, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(faults);
        var run = Guid.NewGuid().ToString("N")[..8];
        var counters = new Counters();
        var ledger = new CallLedger();
        var admin = new AdminCredentials(target.AdminUserName, target.AdminPassword);
        var accounts = target.Consoles.Select(console => new ConsoleAccounts(console, admin)).ToList();
        using var intake = new IntakeClient(target.Intake, target.IntakeKey);
        try
        {
            using var stopAdvisors = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var advisors = await SignInAsync(run, accounts, ledger, counters, cancellationToken);
            var serving = advisors.Select(advisor => advisor.RunAsync(stopAdvisors.Token).IgnoringCancellation()).ToList();

            using var stopPlacing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var provider = new Provider(intake, ledger, counters, run, settings.Patience);
            var started = Stopwatch.GetTimestamp();
            var placing = provider.PlaceAsync(settings.Rate, stopPlacing.Token, giveUp.Token);

            var outcomes = new List<FaultOutcome>();
            foreach (var fault in faults)
            {
                await Task.Delay(settings.Quiet, cancellationToken);
                outcomes.Add(await InjectAsync(fault, ledger, cancellationToken));
            }

            await Task.Delay(settings.Tail, cancellationToken);
            await stopPlacing.CancelAsync();
            var placingFor = Stopwatch.GetElapsedTime(started);
            var calls = await placing;
            log.WriteLine($"{calls.Count} calls placed in {placingFor.TotalSeconds:F0} s; waiting for them to end");
            giveUp.CancelAfter(settings.Drain);
            await Task.WhenAll(calls);
            var reconciliation = await Reconciler.RunAsync(target, ledger, settings.Drain, cancellationToken);
            await stopAdvisors.CancelAsync();
            await Task.WhenAll(serving);
            var accepted = ledger.Placed.Count(call => call.ContactId is not null);
            var result = new CampaignResult(settings.Rate, accepted / placingFor.TotalSeconds, calls.Count, provider.ServerErrors, outcomes, reconciliation);
            Print(result, counters);
            return result;
        }
        finally
        {
            foreach (var account in accounts)
            {
                account.Dispose();
            }
        }
    }

    private async Task<List<CampaignAdvisor>> SignInAsync(string run, List<ConsoleAccounts> accounts, CallLedger ledger, Counters counters, CancellationToken cancellationToken)
    {
        var advisors = new List<CampaignAdvisor>();
        for (var i = 0; i < settings.Advisors; i++)
        {
            var userName = $"campaign-{run}-{i}";
            var password = ConsoleAccounts.NewPassword();
            await accounts[0].CreateAdvisorAsync(userName, password, cancellationToken);
            advisors.Add(new CampaignAdvisor(userName, password, accounts, i % accounts.Count, ledger, counters));
        }

        log.WriteLine($"{advisors.Count} advisors created over {accounts.Count} Console instance(s)");
        return advisors;
    }

    private async Task<FaultOutcome> InjectAsync(FaultStep fault, CallLedger ledger, CancellationToken cancellationToken)
    {
        log.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss} fault: {fault.Name}, held {fault.Hold.TotalSeconds:F0} s");
        var injected = Stopwatch.GetTimestamp();
        await fault.Inject(cancellationToken);
        await Task.Delay(fault.Hold, cancellationToken);
        var held = Stopwatch.GetElapsedTime(injected);
        var lifted = DateTimeOffset.UtcNow;
        var lifting = Stopwatch.GetTimestamp();
        await fault.Lift(cancellationToken);
        while (!ledger.OfferedAcceptedSince(lifted))
        {
            if (Stopwatch.GetElapsedTime(lifting) > settings.Recovery)
            {
                log.WriteLine($"  not recovered within {settings.Recovery.TotalSeconds:F0} s");
                return new FaultOutcome(fault.Name, held, null);
            }

            await Task.Delay(Poll, cancellationToken);
        }

        var recovered = Stopwatch.GetElapsedTime(lifting);
        log.WriteLine($"  recovered {recovered.TotalSeconds:F1} s after it was lifted");
        return new FaultOutcome(fault.Name, held, recovered);
    }

    private static void Print(CampaignResult result, Counters counters)
    {
        var r = result.Reconciliation;
        Report.Heading("Fault campaign");
        Report.Line("calls/s asked", result.TargetRate.ToString("F1", CultureInfo.InvariantCulture));
        Report.Line("calls/s held (2xx)", result.RateHeld.ToString("F1", CultureInfo.InvariantCulture));
        Report.Line("calls placed", result.Placed);
        Report.Line("calls accepted (2xx)", r.Accepted);
        Report.Line("5xx answers retried (503 during outages)", result.ServerErrors);
        Report.Line("faults injected", result.Faults.Count);
        foreach (var fault in result.Faults)
        {
            Report.Line($"  {fault.Name}", string.Create(CultureInfo.InvariantCulture,
                $"held {fault.Held.TotalSeconds:F1} s, recovered {(fault.Recovered is { } recovered ? $"{recovered.TotalSeconds:F1} s after" : "NOT")}"));
        }

        Report.Heading("Reconciliation");
        Report.Line("lost", r.Lost);
        Report.Line("  missing in Console", r.MissingInConsole);
        Report.Line("  missing in Intake", r.MissingInIntake);
        Report.Line("  not ended in both services", r.Unfinished);
        Report.Line("doubled", r.Doubled);
        Report.Line("  stored twice by Intake", r.StoredTwice);
        Report.Line("  ended twice in Console", r.EndedTwice);
        Report.Line("  held by two advisors", r.HeldTwice);
        Report.Line("  offered to two advisors at once", r.OfferedTwiceAtOnce);
        Report.Line("messages in _error queues", r.ErrorQueues.Count == 0 ? "0" : string.Join(", ", r.ErrorQueues.Select(queue => $"{queue.Key} {queue.Value}")));
        Report.Line("outbox dead letters (Intake, Console)", $"{r.IntakeOutboxDeadLetters}, {r.ConsoleOutboxDeadLetters}");
        Report.Line("services healthy afterwards", r.Unhealthy.Count == 0 ? "yes" : string.Join(", ", r.Unhealthy));
        Report.Heading("What the provider and advisors saw");
        Report.Counts(counters);
        Report.Heading(result.Passed ? "PASSED" : "FAILED");
    }
}
