using Helpline.ServiceDefaults.Faults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.ServiceDefaults.Outbox;

/// <summary>The outbox's dead-letter table as a <see cref="IDeadLetterStore"/>: counted per reason, replayed into the outbox.</summary>
internal sealed class OutboxDeadLetters<TContext>(IServiceScopeFactory scopes, OutboxSignal signal, TimeProvider time) : IDeadLetterStore
    where TContext : DbContext, IOutboxContext
{
    public async Task<IReadOnlyList<DeadLetterCount>> CountAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var place = db.Model.FindEntityType(typeof(OutboxDeadLetter))!.GetTableName()!;
        var counts = await db.OutboxDeadLetters.GroupBy(d => d.Reason).Select(g => new { Reason = g.Key, Count = g.LongCount() }).ToListAsync(cancellationToken).ConfigureAwait(false);
        return counts.Count == 0 ? [new DeadLetterCount(place, null, 0)] : counts.Select(c => new DeadLetterCount(place, c.Reason, c.Count)).ToList();
    }

    /// <summary>Moves every dead letter back into the outbox (in its original order), in one transaction.</summary>
    public async Task<int> ReplayAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var dead = await db.OutboxDeadLetters.OrderBy(d => d.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        db.OutboxMessages.AddRange(dead.Select(d => OutboxMessage.Replay(d, now)));
        db.OutboxDeadLetters.RemoveRange(dead);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        signal.Notify();
        return dead.Count;
    }
}
