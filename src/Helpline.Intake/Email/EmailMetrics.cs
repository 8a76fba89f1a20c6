using System.Diagnostics.Metrics;

namespace Helpline.Intake.Email;

/// <summary>What became of inbound messages (tagged <c>outcome</c>).</summary>
internal enum IngestOutcome
{
    /// <summary>Stored in a conversation and handed to Console.</summary>
    Conversation,

    /// <summary>Automatic (RFC 3834): stored, never queued.</summary>
    Automatic,

    Quarantined,

    /// <summary>Already stored (the same Message-ID, or the same stable headers).</summary>
    Duplicate,
}

/// <summary>The email channel's instruments. Tags carry outcomes only, never addresses or content.</summary>
internal sealed class EmailMetrics
{
    private readonly Counter<long> _received;
    private readonly Counter<long> _sent;
    private readonly Counter<long> _reconnects;

    public EmailMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(IntakeTelemetry.Name);
        _received = meter.CreateCounter<long>("helpline.intake.emails.received", "{message}", "Messages read from the mailbox, by outcome (conversation, automatic, quarantined, duplicate).");
        _sent = meter.CreateCounter<long>("helpline.intake.emails.sent", "{attempt}", "SMTP send attempts, by purpose and outcome (sent, retry, failed).");
        _reconnects = meter.CreateCounter<long>("helpline.intake.mailbox.reconnects", "{connection}", "Connections to the mailbox lost or refused and tried again, by error type.");
    }

    public void Received(IngestOutcome outcome) => _received.Add(1, new KeyValuePair<string, object?>("outcome", outcome.ToString().ToLowerInvariant()));

    public void SendAttempt(Helpline.Contracts.EmailPurpose purpose, string outcome) => _sent.Add(
        1,
        new KeyValuePair<string, object?>("purpose", purpose.ToString()),
        new KeyValuePair<string, object?>("outcome", outcome));

    public void Reconnect(string errorType) => _reconnects.Add(1, new KeyValuePair<string, object?>("error", errorType));
}
