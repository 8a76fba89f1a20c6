using System.Diagnostics.Metrics;
using Helpline.Console.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Helpline.Console.Retention;

/// <summary>
/// Erases Console's personal data once its retention (<see cref="RetentionOptions"/>) has passed, in
/// batches of <see cref="RetentionOptions.BatchSize"/> rows (each its own transaction), and idempotently:
/// a row is chosen only while it still holds something to erase, so a second run changes nothing. Personal
/// columns are set to null (or empty where the column is required); every column the reports read
/// (<c>contact_facts</c>, <c>call_quarters</c>, <c>email_activity</c>, the records' categories, codes and
/// needs) is kept, so a report reads the same figures afterwards. Router journal rows are already deleted
/// at each checkpoint (RouterHost). Returns counts only.
/// </summary>
internal sealed partial class RetentionJob(ConsoleDbContext db, IOptions<RetentionOptions> options, TimeProvider time)
{
    private static readonly (string Kind, Func<RetentionOptions, TimeSpan> Age, string Sql)[] Steps =
    [
        ("contact_records", o => o.ContactRecords, """
            UPDATE console.contact_records r
            SET encrypted_callback_number = NULL, encrypted_safe_times = NULL, encrypted_email = NULL, encrypted_notes = NULL, outward_code = NULL
            WHERE r.contact_id IN (
              SELECT x.contact_id FROM console.contact_records x JOIN console.contacts k ON k.id = x.contact_id
              WHERE k.received_at < @cutoff
                AND (x.encrypted_callback_number IS NOT NULL OR x.encrypted_safe_times IS NOT NULL OR x.encrypted_email IS NOT NULL
                     OR x.encrypted_notes IS NOT NULL OR x.outward_code IS NOT NULL)
              LIMIT @batch FOR UPDATE OF x SKIP LOCKED)
            """),
        ("contacts", o => o.ContactRecords, """
            UPDATE console.contacts SET caller_key = NULL, provider_reference = ''
            WHERE id IN (SELECT id FROM console.contacts WHERE received_at < @cutoff AND (caller_key IS NOT NULL OR provider_reference <> '')
                         LIMIT @batch FOR UPDATE SKIP LOCKED)
            """),
        ("email_messages", o => o.EmailBodies, """
            UPDATE console.email_messages SET encrypted_from = NULL, encrypted_subject = '', encrypted_text = NULL, encrypted_html = NULL
            WHERE id IN (SELECT id FROM console.email_messages
                         WHERE at < @cutoff AND (encrypted_from IS NOT NULL OR encrypted_subject <> '' OR encrypted_text IS NOT NULL OR encrypted_html IS NOT NULL)
                         LIMIT @batch FOR UPDATE SKIP LOCKED)
            """),
        ("email_attachments", o => o.EmailBodies, """
            DELETE FROM console.email_attachments
            WHERE id IN (SELECT a.id FROM console.email_attachments a JOIN console.email_messages m ON m.id = a.email_id WHERE m.at < @cutoff LIMIT @batch)
            """),
        ("quarantined_emails", o => o.EmailBodies, """
            DELETE FROM console.quarantined_emails WHERE id IN (SELECT id FROM console.quarantined_emails WHERE received_at < @cutoff LIMIT @batch)
            """),
        ("reply_drafts", o => o.EmailBodies, """
            DELETE FROM console.reply_drafts d USING (SELECT contact_id, advisor_id FROM console.reply_drafts WHERE updated_at < @cutoff LIMIT @batch) x
            WHERE d.contact_id = x.contact_id AND d.advisor_id = x.advisor_id
            """),
        ("outbox", o => o.SentOutbox, """
            DELETE FROM console.outbox_messages WHERE id IN (SELECT id FROM console.outbox_messages WHERE sent_at < @cutoff LIMIT @batch)
            """),
    ];

    /// <summary>Runs every step to the end; the rows changed per kind.</summary>
    public async Task<IReadOnlyDictionary<string, long>> RunAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var changed = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (kind, age, sql) in Steps)
        {
            long total = 0;
            int rows;
            do
            {
                rows = await db.Database.ExecuteSqlRawAsync(
                    sql,
                    [new NpgsqlParameter("cutoff", now - age(settings)), new NpgsqlParameter("batch", settings.BatchSize)],
                    cancellationToken);
                total += rows;
            }
            while (rows >= settings.BatchSize);

            changed[kind] = total;
        }

        return changed;
    }
}

/// <summary>Runs <see cref="RetentionJob"/> every <see cref="RetentionOptions.Interval"/>; logs and counts rows per kind, never their content.</summary>
internal sealed partial class RetentionService(IServiceScopeFactory scopes, IOptions<RetentionOptions> options, IMeterFactory meters, ILogger<RetentionService> logger) : BackgroundService
{
    private readonly Counter<long> _rows = meters.Create(ConsoleTelemetry.Name).CreateCounter<long>(
        "helpline.console.retention.rows", "{row}", "Rows whose personal data the retention job erased or deleted, by kind.");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var changed = await scope.ServiceProvider.GetRequiredService<RetentionJob>().RunAsync(stoppingToken);
                foreach (var (kind, rows) in changed)
                {
                    _rows.Add(rows, new KeyValuePair<string, object?>("kind", kind));
                    if (rows > 0)
                    {
                        LogErased(logger, kind, rows);
                    }
                }
            }
            catch (Exception e) when (e is NpgsqlException or DbUpdateException or InvalidOperationException && !stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: {Rows} {Kind} rows erased or deleted")]
    private static partial void LogErased(ILogger logger, string kind, long rows);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention run failed; it runs again at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
