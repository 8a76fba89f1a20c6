using Helpline.Contracts;
using Helpline.Intake.Data;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Helpline.Intake.Hours;

/// <summary>
/// Applies the special closures supervisors manage in Console. Closures are only added and cancelled,
/// never edited, so each message is applied by closure id, idempotently and in any order: a
/// cancellation that arrives first stores the closure cancelled, and its scheduling then changes nothing.
/// Two copies racing to insert the same closure: the loser's unique violation is retried, and then finds it there.
/// </summary>
internal sealed partial class SpecialClosureConsumers(IntakeDbContext db, TimeProvider time, ILogger<SpecialClosureConsumers> logger)
    : IConsumer<SpecialClosureScheduled>, IConsumer<SpecialClosureCancelled>
{
    public async Task Consume(ConsumeContext<SpecialClosureScheduled> context)
    {
        var message = context.Message;
        if (await db.Closures.AnyAsync(c => c.Id == message.ClosureId, context.CancellationToken))
        {
            return;
        }

        db.Closures.Add(new Closure { Id = message.ClosureId, StartsAt = message.StartsAt.ToUniversalTime(), EndsAt = message.EndsAt.ToUniversalTime(), Reason = message.Reason, CreatedAt = time.GetUtcNow() });
        await db.SaveChangesAsync(context.CancellationToken);
        LogScheduled(logger, message.ClosureId, message.StartsAt, message.EndsAt);
    }

    public async Task Consume(ConsumeContext<SpecialClosureCancelled> context)
    {
        var message = context.Message;
        var cancelled = await db.Closures
            .Where(c => c.Id == message.ClosureId && c.CancelledAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(c => c.CancelledAt, message.CancelledAt.ToUniversalTime()), context.CancellationToken);
        if (cancelled == 0 && !await db.Closures.AnyAsync(c => c.Id == message.ClosureId, context.CancellationToken))
        {
            db.Closures.Add(new Closure
            {
                Id = message.ClosureId,
                StartsAt = message.StartsAt.ToUniversalTime(),
                EndsAt = message.EndsAt.ToUniversalTime(),
                Reason = message.Reason,
                CreatedAt = time.GetUtcNow(),
                CancelledAt = message.CancelledAt.ToUniversalTime(),
            });
            await db.SaveChangesAsync(context.CancellationToken);
        }

        LogCancelled(logger, message.ClosureId);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Special closure {ClosureId} scheduled from {StartsAt} to {EndsAt}")]
    private static partial void LogScheduled(ILogger logger, Guid closureId, DateTimeOffset startsAt, DateTimeOffset endsAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Special closure {ClosureId} cancelled")]
    private static partial void LogCancelled(ILogger logger, Guid closureId);
}
