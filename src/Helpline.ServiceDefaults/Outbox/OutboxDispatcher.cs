using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;
using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Helpline.ServiceDefaults.Outbox;

/// <summary>
/// Drains a service's outbox: publishes (or sends) unsent rows with publisher confirms, in id order
/// for the rows of one ordering key and side by side across keys (see <see cref="OutboxStreams"/>),
/// then marks them sent in the same transaction that locked them (<c>FOR UPDATE SKIP LOCKED</c>, so
/// several replicas can run it; a contact's rows only by the replica holding its partition's advisory
/// lock, so its order holds across replicas). A crash between the confirm and the commit publishes the
/// row again with the same message id; every consumer is idempotent. A row whose message cannot be
/// read waits and is tried again, holding back only its own contact's later rows, and after
/// <see cref="OutboxOptions.MaxAttempts"/> moves to the dead-letter table.
/// </summary>
internal sealed partial class OutboxDispatcher<TContext>(
    IServiceScopeFactory scopes,
    IBus bus,
    OutboxSignal signal,
    OutboxStreams streams,
    OutboxMetrics metrics,
    TimeProvider time,
    IOptions<OutboxOptions> options,
    ILogger<OutboxDispatcher<TContext>> logger) : BackgroundService
    where TContext : DbContext, IOutboxContext
{
    private static readonly ActivitySource Source = new(HelplineTelemetry.ActivitySourcePrefix + "Outbox");
    private readonly OutboxOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retryDelay = TimeSpan.Zero;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await PublishBatchAsync(stoppingToken).ConfigureAwait(false) == _options.BatchSize)
                {
                }

                retryDelay = TimeSpan.Zero;
                await signal.WaitAsync(_options.PollInterval, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                metrics.PublishFailed();
                retryDelay = NextDelay(retryDelay);
                LogPublishFailed(logger, exception.GetType().Name, retryDelay);
                // Backoff paces real calls to a real broker: wall-clock time, even when the service's
                // TimeProvider is a test's fake clock (which would otherwise never let the retry run).
                await Task.Delay(retryDelay, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private TimeSpan NextDelay(TimeSpan previous)
    {
        var next = previous == TimeSpan.Zero ? TimeSpan.FromMilliseconds(200) : previous * 2;
        return next > _options.MaxRetryDelay ? _options.MaxRetryDelay : next;
    }

    /// <summary>Ordering keys are spread over this many advisory locks; a dispatcher publishes a key only while it holds its lock.</summary>
    private const int Partitions = 64;

    /// <returns>How many rows were taken (published, or failed and put back to wait).</returns>
    private async Task<int> PublishBatchAsync(CancellationToken stoppingToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(stoppingToken).ConfigureAwait(false);

        var entity = db.Model.FindEntityType(typeof(OutboxMessage))!;
        var table = $"\"{entity.GetSchema()}\".\"{entity.GetTableName()}\"";
        // Per contact, across replicas: a row is taken only by the dispatcher holding its contact's
        // partition lock for the transaction (so no other replica publishes that contact meanwhile), and
        // not while an earlier row about the same contact waits out a failed attempt.
#pragma warning disable EF1002 // The table name comes from the model, not from input.
        var batch = await db.OutboxMessages
            .FromSqlRaw($"""
                SELECT * FROM {table} o
                WHERE o.sent_at IS NULL
                  AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= now())
                  AND NOT EXISTS (
                      SELECT 1 FROM {table} w
                      WHERE w.sent_at IS NULL AND w.next_attempt_at > now() AND w.id < o.id AND w.contact_id IS NOT DISTINCT FROM o.contact_id)
                  AND pg_try_advisory_xact_lock(hashtext('{table}'), hashtext(coalesce(o.contact_id::text, '')) & {Partitions - 1})
                ORDER BY o.id
                LIMIT {_options.BatchSize}
                FOR UPDATE OF o SKIP LOCKED
                """)
            .ToListAsync(stoppingToken).ConfigureAwait(false);
#pragma warning restore EF1002
        if (batch.Count == 0)
        {
            return 0;
        }

        var failures = await Task.WhenAll(batch.GroupBy(streams.Of).Select(rows => PublishInOrderAsync(rows.ToList(), stoppingToken))).ConfigureAwait(false);
        foreach (var (row, reason) in failures.OfType<(OutboxMessage, string)>())
        {
            await FailAsync(db, table, row, reason, stoppingToken).ConfigureAwait(false);
        }

        await db.SaveChangesAsync(stoppingToken).ConfigureAwait(false);
        await transaction.CommitAsync(stoppingToken).ConfigureAwait(false);
        return batch.Count;
    }

    /// <summary>Publishes one key's rows in order; stops at a row whose message cannot be read and returns it with the reason.</summary>
    private async Task<(OutboxMessage Row, string Reason)?> PublishInOrderAsync(List<OutboxMessage> rows, CancellationToken stoppingToken)
    {
        foreach (var row in rows)
        {
            if (!TryDeserialize(row, out var message, out var reason))
            {
                return (row, reason);
            }

            await PublishAsync(row, message, stoppingToken).ConfigureAwait(false);
            var sentAt = time.GetUtcNow();
            row.SentAt = sentAt;
            metrics.Published(sentAt - row.CreatedAt);
        }

        return null;
    }

    /// <summary>
    /// Counts a failed attempt at <paramref name="row"/>: it waits (1 s, doubling, at most
    /// <see cref="OutboxOptions.MaxRetryDelay"/>; the database's clock, which the query reads) or, at
    /// <see cref="OutboxOptions.MaxAttempts"/>, moves to the dead-letter table.
    /// </summary>
    private async Task FailAsync(TContext db, string table, OutboxMessage row, string reason, CancellationToken stoppingToken)
    {
        row.Attempts++;
        row.LastError = reason;
        metrics.RowFailed();
        if (row.Attempts >= _options.MaxAttempts)
        {
            db.OutboxDeadLetters.Add(OutboxDeadLetter.Of(row, reason, time.GetUtcNow()));
            db.OutboxMessages.Remove(row);
            metrics.DeadLettered();
            LogDeadLettered(logger, row.Id, row.MessageId, row.Attempts, reason);
            return;
        }

        var wait = TimeSpan.FromSeconds(Math.Min(Math.Pow(2, row.Attempts - 1), _options.MaxRetryDelay.TotalSeconds));
#pragma warning disable EF1002 // The table name comes from the model, not from input.
        await db.Database.ExecuteSqlRawAsync($"UPDATE {table} SET next_attempt_at = now() + {{0}} WHERE id = {{1}}", [wait, row.Id], stoppingToken).ConfigureAwait(false);
#pragma warning restore EF1002
        LogRowFailed(logger, row.Id, row.Attempts, reason, wait);
    }

    private static bool TryDeserialize(OutboxMessage row, [NotNullWhen(true)] out object? message, [NotNullWhen(false)] out string? reason)
    {
        message = null;
        Type? type;
        try
        {
            type = Type.GetType(row.MessageType, throwOnError: false);
        }
        catch (Exception exception) when (exception is ArgumentException or IOException or BadImageFormatException or TypeLoadException)
        {
            type = null;
        }

        if (type is null)
        {
            reason = Truncate($"The message type {row.MessageType} does not resolve.");
            return false;
        }

        try
        {
            message = JsonSerializer.Deserialize(row.Payload, type, OutboxSerialization.Options);
        }
        catch (Exception exception) when (exception is JsonException or NotSupportedException or ArgumentException)
        {
            // System.Text.Json's messages name the path and position, never the values.
            reason = Truncate($"The payload does not read as {type.Name}: {exception.Message}");
            return false;
        }

        reason = message is null ? $"The payload of a {type.Name} is null." : null;
        return message is not null;
    }

    private static string Truncate(string reason) => reason.Length <= 500 ? reason : reason[..500];

    private async Task PublishAsync(OutboxMessage row, object message, CancellationToken stoppingToken)
    {
        var type = message.GetType();

        ActivityContext.TryParse(row.TraceParent, null, out var parent);
        using var activity = Source.StartActivity("outbox publish", ActivityKind.Internal, parent);
        activity?.SetTag("messaging.message.type", type.Name);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(_options.PublishTimeout);
        if (row.Destination is null)
        {
            await bus.Publish(message, type, context => context.MessageId = row.MessageId, timeout.Token).ConfigureAwait(false);
        }
        else
        {
            var endpoint = await bus.GetSendEndpoint(new Uri(row.Destination)).ConfigureAwait(false);
            await endpoint.Send(message, type, context => context.MessageId = row.MessageId, timeout.Token).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox row {RowId} could not be published (attempt {Attempts}: {Reason}); the rows behind it about the same contact wait {RetryDelay}")]
    private static partial void LogRowFailed(ILogger logger, long rowId, int attempts, string reason, TimeSpan retryDelay);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox row {RowId} (message {MessageId}) moved to the dead-letter table after {Attempts} attempts: {Reason}")]
    private static partial void LogDeadLettered(ILogger logger, long rowId, Guid messageId, int attempts, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox publish failed ({ExceptionType}); retrying in {RetryDelay}")]
    private static partial void LogPublishFailed(ILogger logger, string exceptionType, TimeSpan retryDelay);
}

/// <summary>The outbox's instruments, per service (the meter carries the service's name).</summary>
public sealed class OutboxMetrics
{
    private readonly Counter<long> _published;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _rowFailures;
    private readonly Counter<long> _deadLettered;
    private readonly Histogram<double> _delay;

    public OutboxMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(HelplineTelemetry.MeterPrefix + "Outbox");
        _published = meter.CreateCounter<long>("helpline.outbox.published", "{message}", "Outbox messages confirmed by the broker.");
        _failures = meter.CreateCounter<long>("helpline.outbox.publish_failures", "{attempt}", "Outbox batches that failed to publish and will be retried.");
        _rowFailures = meter.CreateCounter<long>("helpline.outbox.row_failures", "{attempt}", "Outbox rows whose message could not be read, each attempt.");
        _deadLettered = meter.CreateCounter<long>("helpline.outbox.dead_lettered", "{message}", "Outbox rows moved to the dead-letter table after their attempts.");
        _delay = meter.CreateHistogram<double>("helpline.outbox.delay", "s", "Time from an outbox row's commit to the broker's confirm.");
    }

    public void Published(TimeSpan delay)
    {
        _published.Add(1);
        _delay.Record(delay.TotalSeconds);
    }

    public void PublishFailed() => _failures.Add(1);

    public void RowFailed() => _rowFailures.Add(1);

    public void DeadLettered() => _deadLettered.Add(1);
}
