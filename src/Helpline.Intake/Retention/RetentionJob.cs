using Helpline.Intake.Data;
using Helpline.ServiceDefaults.Retention;
using Microsoft.Extensions.Options;

namespace Helpline.Intake.Retention;

/// <summary>
/// Erases Intake's personal data once its retention (<see cref="RetentionOptions"/>) has passed, in batches
/// (<see cref="RetentionSteps"/>), idempotently. Callback requests are deleted (the call keeps its
/// <c>callback_requested_at</c>); stored mail keeps its keys, sizes, times and conversation, so dedupe and
/// threading by sender still work and nothing Intake answers changes; a message is erased only once
/// Console has it: no outbox row from before the cutoff is still unsent. Returns counts only.
/// </summary>
internal sealed class RetentionJob(IntakeDbContext db, IOptions<RetentionOptions> options, TimeProvider time) : IRetentionJob
{
    /// <summary>A stored message old enough, and Console has it: every outbox row written before the cutoff (the message's own among them) is sent.</summary>
    private const string MessageDue = """
        coalesce(m.resolved_at, m.stored_at) < @cutoff
        AND NOT EXISTS (SELECT 1 FROM intake.outbox_messages o WHERE o.sent_at IS NULL AND o.created_at < @cutoff)
        """;

    private static readonly RetentionStep<RetentionOptions>[] Steps =
    [
        new("callback_requests", o => o.CallbackNumbers, """
            DELETE FROM intake.callback_requests
            WHERE contact_id IN (SELECT contact_id FROM intake.callback_requests WHERE requested_at < @cutoff LIMIT @batch FOR UPDATE SKIP LOCKED)
            """),
        new("email_messages", o => o.EmailBodies, $"""
            UPDATE intake.email_messages
            SET encrypted_from = NULL, encrypted_subject = NULL, encrypted_text = NULL, encrypted_html = NULL,
                encrypted_message_id = NULL, encrypted_references = NULL, encrypted_raw = NULL
            WHERE id IN (
              SELECT m.id FROM intake.email_messages m
              WHERE {MessageDue}
                AND (m.encrypted_from IS NOT NULL OR m.encrypted_subject IS NOT NULL OR m.encrypted_text IS NOT NULL OR m.encrypted_html IS NOT NULL
                     OR m.encrypted_message_id IS NOT NULL OR m.encrypted_references IS NOT NULL OR m.encrypted_raw IS NOT NULL)
              LIMIT @batch FOR UPDATE SKIP LOCKED)
            """),
        new("email_attachments", o => o.EmailBodies, $"""
            DELETE FROM intake.email_attachments
            WHERE id IN (SELECT a.id FROM intake.email_attachments a JOIN intake.email_messages m ON m.id = a.email_id WHERE {MessageDue} LIMIT @batch)
            """),
        new("outbound_emails", o => o.EmailBodies, """
            UPDATE intake.outbound_emails SET encrypted_subject = '', encrypted_body = ''
            WHERE id IN (SELECT id FROM intake.outbound_emails
                         WHERE state <> 'Pending' AND requested_at < @cutoff AND (encrypted_subject <> '' OR encrypted_body <> '')
                         LIMIT @batch FOR UPDATE SKIP LOCKED)
            """),
        RetentionSteps.SentOutbox<RetentionOptions>(IntakeDbContext.Schema, o => o.SentOutbox),
    ];

    /// <summary>Runs every step to the end; the rows changed per kind.</summary>
    public Task<IReadOnlyDictionary<string, long>> RunAsync(CancellationToken cancellationToken) =>
        RetentionSteps.RunAsync(db, Steps, options.Value, time.GetUtcNow(), cancellationToken);
}
