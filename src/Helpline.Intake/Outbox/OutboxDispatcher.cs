using System.Diagnostics;
using System.Text.Json;
using Helpline.Contracts;
using Helpline.Intake.Data;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helpline.Intake.Outbox;

/// <summary>
/// Drains the outbox: publishes unsent rows in id order with publisher confirms, then marks them
/// sent in the same transaction that locked them (<c>FOR UPDATE SKIP LOCKED</c>, so several Intake
/// replicas can run it). A crash between the confirm and the commit publishes the row again with
/// the same message id; consumers are idempotent on the contact id.
/// </summary>
internal sealed partial class OutboxDispatcher(
    IServiceScopeFactory scopes,
    IBus bus,
    OutboxSignal signal,
    IntakeMetrics metrics,
    TimeProvider time,
    IOptions<OutboxOptions> options,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private readonly OutboxOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retryDelay = TimeSpan.Zero;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await PublishBatchAsync(stoppingToken) == _options.BatchSize)
                {
                }

                retryDelay = TimeSpan.Zero;
                await signal.WaitAsync(_options.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                metrics.OutboxPublishFailed();
                retryDelay = NextDelay(retryDelay);
                LogPublishFailed(logger, exception.GetType().Name, retryDelay);
                await Task.Delay(retryDelay, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
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
        var db = scope.ServiceProvider.GetRequiredService<IntakeDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(stoppingToken);

        var batch = await db.OutboxMessages
            .FromSql($"SELECT * FROM intake.outbox_messages WHERE sent_at IS NULL ORDER BY id LIMIT {_options.BatchSize} FOR UPDATE SKIP LOCKED")
            .ToListAsync(stoppingToken);
        if (batch.Count == 0)
        {
            return 0;
        }

        foreach (var row in batch)
        {
            await PublishAsync(row, stoppingToken);
            var sentAt = time.GetUtcNow();
            row.SentAt = sentAt;
            metrics.OutboxPublished(sentAt - row.CreatedAt);
        }

        await db.SaveChangesAsync(stoppingToken);
        await transaction.CommitAsync(stoppingToken);
        return batch.Count;
    }

    private async Task PublishAsync(OutboxMessage row, CancellationToken stoppingToken)
    {
        var type = typeof(ContactReceived).Assembly.GetType(row.MessageType, throwOnError: true)!;
        var message = JsonSerializer.Deserialize(row.Payload, type, OutboxSerialization.Options)!;

        ActivityContext.TryParse(row.TraceParent, null, out var parent);
        using var activity = IntakeTelemetry.Source.StartActivity("outbox publish", ActivityKind.Internal, parent);
        activity?.SetTag("messaging.message.type", type.Name);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(_options.PublishTimeout);
        await bus.Publish(message, type, context => context.MessageId = row.MessageId, timeout.Token);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox publish failed ({ExceptionType}); retrying in {RetryDelay}")]
    private static partial void LogPublishFailed(ILogger logger, string exceptionType, TimeSpan retryDelay);
}
