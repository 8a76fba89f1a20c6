using Helpline.Console.Data;
using Helpline.ServiceDefaults.Retention;
using Microsoft.Extensions.Options;

namespace Helpline.Console.Retention;

/// <summary>
/// Erases Console's personal data once its retention (<see cref="RetentionOptions"/>) has passed, in
/// batches of <see cref="RetentionScheduleOptions.BatchSize"/> rows (each its own transaction), and idempotently:
/// a row is chosen only while it still holds something to erase, so a second run changes nothing. Personal
/// columns are set to null (or empty where the column is required); every column the reports read
/// (<c>contact_facts</c>, <c>call_quarters</c>, <c>email_activity</c>, the records' categories, codes and
/// needs) is kept, so a report reads the same figures afterwards. Router journal rows are already deleted
/// at each checkpoint (RouterHost). Returns counts only.
/// </summary>
internal sealed class RetentionJob(ConsoleDbContext db, IOptions<RetentionOptions> options, TimeProvider time) : IRetentionJob
{
    private static readonly RetentionStep<RetentionOptions>[] Steps =
    [
        new("contact_records", o => o.ContactRecords, """
            UPDATE console.contact_records r
            SET encrypted_callback_number = NULL, encrypted_safe_times = NULL, encrypted_email = NULL, encrypted_notes = NULL, outward_code = NULL
            WHERE r.contact_id IN (
              SELECT x.contact_id FROM console.contact_records x JOIN console.contacts k ON k.id = x.contact_id
              WHERE k.received_at < @cutoff
                AND (x.encrypted_callback_number IS NOT NULL OR x.encrypted_safe_times IS NOT NULL OR x.encrypted_email IS NOT NULL
                     OR x.encrypted_notes IS NOT NULL OR x.outward_code IS NOT NULL)
              LIMIT @batch FOR UPDATE OF x SKIP LOCKED)
            """),
        new("contacts", o => o.ContactRecords, """
            UPDATE console.contacts SET caller_key = NULL, provider_reference = ''
            WHERE id IN (SELECT id FROM console.contacts WHERE received_at < @cutoff AND (caller_key IS NOT NULL OR provider_reference <> '')
                         LIMIT @batch FOR UPDATE SKIP LOCKED)
            """),
        new("email_messages", o => o.EmailBodies, """
            UPDATE console.email_messages SET encrypted_from = NULL, encrypted_subject = '', encrypted_text = NULL, encrypted_html = NULL
            WHERE id IN (SELECT id FROM console.email_messages
                         WHERE at < @cutoff AND (encrypted_from IS NOT NULL OR encrypted_subject <> '' OR encrypted_text IS NOT NULL OR encrypted_html IS NOT NULL)
                         LIMIT @batch FOR UPDATE SKIP LOCKED)
            """),
        new("email_attachments", o => o.EmailBodies, """
            DELETE FROM console.email_attachments
            WHERE id IN (SELECT a.id FROM console.email_attachments a JOIN console.email_messages m ON m.id = a.email_id WHERE m.at < @cutoff LIMIT @batch)
            """),
        new("quarantined_emails", o => o.EmailBodies, """
            DELETE FROM console.quarantined_emails WHERE id IN (SELECT id FROM console.quarantined_emails WHERE received_at < @cutoff LIMIT @batch)
            """),
        new("reply_drafts", o => o.EmailBodies, """
            DELETE FROM console.reply_drafts d USING (SELECT contact_id, advisor_id FROM console.reply_drafts WHERE updated_at < @cutoff LIMIT @batch) x
            WHERE d.contact_id = x.contact_id AND d.advisor_id = x.advisor_id
            """),
        RetentionSteps.SentOutbox<RetentionOptions>(ConsoleDbContext.Schema, o => o.SentOutbox),
    ];

    /// <summary>Runs every step to the end; the rows changed per kind.</summary>
    public Task<IReadOnlyDictionary<string, long>> RunAsync(CancellationToken cancellationToken) =>
        RetentionSteps.RunAsync(db, Steps, options.Value, time.GetUtcNow(), cancellationToken);
}
