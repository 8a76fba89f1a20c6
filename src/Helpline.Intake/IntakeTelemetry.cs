using System.Diagnostics;
using System.Diagnostics.Metrics;
using Helpline.Contracts;
using Helpline.Intake.Calls;

namespace Helpline.Intake;

internal static class IntakeTelemetry
{
    public const string Name = "Helpline.Intake";

    public static readonly ActivitySource Source = new(Name);
}

/// <summary>Intake's instruments. Tags carry channels and outcomes only, never caller data.</summary>
internal sealed class IntakeMetrics
{
    private readonly Counter<long> _callsReceived;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _unanswered;
    private readonly Counter<long> _providerRequests;
    private readonly Counter<long> _held;
    private readonly Histogram<int> _perCommit;

    public IntakeMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(IntakeTelemetry.Name);
        _callsReceived = meter.CreateCounter<long>("helpline.intake.calls.received", "{call}", "Calls stored by Intake, by provider.");
        _duplicates = meter.CreateCounter<long>("helpline.intake.calls.duplicates", "{call}", "Provider retries answered with the contact already stored.");
        _rejected = meter.CreateCounter<long>("helpline.intake.requests.rejected", "{request}", "Requests refused as malformed, oversized or unsigned, by reason.");
        _unanswered = meter.CreateCounter<long>("helpline.intake.calls.unanswered", "{call}", "Calls Intake recorded as not answered, by domain reason (OutOfHours, NoAdvisors, Overflow, Abandoned; abandons also by short).");
        _held = meter.CreateCounter<long>("helpline.intake.webhooks.held", "{request}", "Voice webhooks answered with holding TwiML because the database could not be reached, by webhook.");
        _perCommit = meter.CreateHistogram<int>(
            "helpline.intake.calls.per_commit",
            "{call}",
            "New calls stored by one transaction (group commit), duplicates included.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512] });
        _providerRequests = meter.CreateCounter<long>("helpline.intake.telephony.requests", "{request}", "Requests to the telephony provider (connect, turn away), by provider, operation and outcome.");
    }

    public void CallReceived(string provider) => _callsReceived.Add(1, new KeyValuePair<string, object?>("provider", provider));

    public void CallsCommittedTogether(int calls) => _perCommit.Record(calls);

    public void DuplicateCall(string provider) => _duplicates.Add(1, new KeyValuePair<string, object?>("provider", provider));

    /// <summary>
    /// Counts a call that entered an unanswered end state (<paramref name="before"/> null: a call just
    /// stored); abandons are tagged <c>short</c> so short abandons can be counted apart.
    /// </summary>
    public void CallChanged(CallState? before, Call after)
    {
        if (before == after.State)
        {
            return;
        }

        switch (after.State)
        {
            case CallState.Abandoned:
                _unanswered.Add(1, Reason(UnansweredReason.Abandoned), new KeyValuePair<string, object?>("short", after.ShortAbandon));
                break;
            case CallState.OutOfHours:
                _unanswered.Add(1, Reason(UnansweredReason.OutOfHours));
                break;
            case CallState.NoAdvisors:
                _unanswered.Add(1, Reason(UnansweredReason.NoAdvisors));
                break;
            case CallState.Overflow:
                _unanswered.Add(1, Reason(UnansweredReason.Overflow));
                break;
        }
    }

    private static KeyValuePair<string, object?> Reason(UnansweredReason reason) => new("reason", reason.ToString());

    public void ProviderRequest(string provider, string operation, bool succeeded) => _providerRequests.Add(
        1,
        new KeyValuePair<string, object?>("provider", provider),
        new KeyValuePair<string, object?>("operation", operation),
        new KeyValuePair<string, object?>("outcome", succeeded ? "succeeded" : "failed"));

    public void WebhookHeld(string webhook) => _held.Add(1, new KeyValuePair<string, object?>("webhook", webhook));

    public void RequestRejected(string reason) => _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));
}
