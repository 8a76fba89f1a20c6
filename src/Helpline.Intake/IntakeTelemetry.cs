using System.Diagnostics;
using System.Diagnostics.Metrics;

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
    private readonly Counter<long> _published;
    private readonly Counter<long> _publishFailures;
    private readonly Histogram<double> _publishDelay;

    public IntakeMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(IntakeTelemetry.Name);
        _callsReceived = meter.CreateCounter<long>("helpline.intake.calls.received", "{call}", "Calls stored by Intake, by provider.");
        _duplicates = meter.CreateCounter<long>("helpline.intake.calls.duplicates", "{call}", "Provider retries answered with the contact already stored.");
        _rejected = meter.CreateCounter<long>("helpline.intake.requests.rejected", "{request}", "Requests refused as malformed, oversized or unsigned, by reason.");
        _published = meter.CreateCounter<long>("helpline.intake.outbox.published", "{message}", "Outbox messages confirmed by the broker.");
        _publishFailures = meter.CreateCounter<long>("helpline.intake.outbox.publish_failures", "{attempt}", "Outbox batches that failed to publish and will be retried.");
        _publishDelay = meter.CreateHistogram<double>("helpline.intake.outbox.delay", "s", "Time from an outbox row's commit to the broker's confirm.");
    }

    public void CallReceived(string provider) => _callsReceived.Add(1, new KeyValuePair<string, object?>("provider", provider));

    public void DuplicateCall(string provider) => _duplicates.Add(1, new KeyValuePair<string, object?>("provider", provider));

    public void RequestRejected(string reason) => _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void OutboxPublished(TimeSpan delay)
    {
        _published.Add(1);
        _publishDelay.Record(delay.TotalSeconds);
    }

    public void OutboxPublishFailed() => _publishFailures.Add(1);
}
