using System.Diagnostics;
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
/// several replicas can run it). A crash between the confirm and the commit publishes the row again
/// with the same message id; every consumer is idempotent.
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

    /// <returns>How many rows were published.</returns>
    private async Task<int> PublishBatchAsync(CancellationToken stoppingToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(stoppingToken).ConfigureAwait(false);

        var entity = db.Model.FindEntityType(typeof(OutboxMessage))!;
        var table = $"\"{entity.GetSchema()}\".\"{entity.GetTableName()}\"";
#pragma warning disable EF1002 // The table name comes from the model, not from input.
        var batch = await db.OutboxMessages
            .FromSqlRaw($"SELECT * FROM {table} WHERE sent_at IS NULL ORDER BY id LIMIT {_options.BatchSize} FOR UPDATE SKIP LOCKED")
            .ToListAsync(stoppingToken).ConfigureAwait(false);
#pragma warning restore EF1002
        if (batch.Count == 0)
        {
            return 0;
        }

        var messages = batch.Select(row => (Row: row, Message: Deserialize(row))).ToList();
        await Task.WhenAll(messages.GroupBy(m => streams.Of(m.Row, m.Message)).Select(rows => PublishInOrderAsync(rows.ToList(), stoppingToken))).ConfigureAwait(false);

        await db.SaveChangesAsync(stoppingToken).ConfigureAwait(false);
        await transaction.CommitAsync(stoppingToken).ConfigureAwait(false);
        return batch.Count;
    }

    private static object Deserialize(OutboxMessage row) =>
        JsonSerializer.Deserialize(row.Payload, Type.GetType(row.MessageType, throwOnError: true)!, OutboxSerialization.Options)!;

    private async Task PublishInOrderAsync(List<(OutboxMessage Row, object Message)> rows, CancellationToken stoppingToken)
    {
        foreach (var (row, message) in rows)
        {
            await PublishAsync(row, message, stoppingToken).ConfigureAwait(false);
            var sentAt = time.GetUtcNow();
            row.SentAt = sentAt;
            metrics.Published(sentAt - row.CreatedAt);
        }
    }

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox publish failed ({ExceptionType}); retrying in {RetryDelay}")]
    private static partial void LogPublishFailed(ILogger logger, string exceptionType, TimeSpan retryDelay);
}

/// <summary>The outbox's instruments, per service (the meter carries the service's name).</summary>
public sealed class OutboxMetrics
{
    private readonly Counter<long> _published;
    private readonly Counter<long> _failures;
    private readonly Histogram<double> _delay;

    public OutboxMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(HelplineTelemetry.MeterPrefix + "Outbox");
        _published = meter.CreateCounter<long>("helpline.outbox.published", "{message}", "Outbox messages confirmed by the broker.");
        _failures = meter.CreateCounter<long>("helpline.outbox.publish_failures", "{attempt}", "Outbox batches that failed to publish and will be retried.");
        _delay = meter.CreateHistogram<double>("helpline.outbox.delay", "s", "Time from an outbox row's commit to the broker's confirm.");
    }

    public void Published(TimeSpan delay)
    {
        _published.Add(1);
        _delay.Record(delay.TotalSeconds);
    }

    public void PublishFailed() => _failures.Add(1);
}
