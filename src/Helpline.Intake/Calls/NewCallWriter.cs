using System.Collections.Concurrent;
using Helpline.Intake.Data;
using Helpline.Intake.Hours;
using Helpline.ServiceDefaults.Faults;
using Helpline.ServiceDefaults.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helpline.Intake.Calls;

/// <summary>
/// Group commit for new calls: the calls that arrive while a commit is under way wait together and are
/// stored in the next transaction, each with its outbox message, so a burst of calls costs a few commits
/// instead of one each. A call that arrives when no commit is running is written at once (no timer, no
/// added wait). At most <see cref="CallOptions.ConcurrentCommits"/> transactions run side by side, each of
/// at most <see cref="CallOptions.MaxCallsPerCommit"/> calls.
/// <para>
/// Every guarantee of one call per transaction holds per call: the 202 is answered only after the commit
/// that stored the call; the transaction takes the advisory lock of every provider call id it holds (in one
/// order, so two transactions, of this instance or another replica, never deadlock), looks the ids up and
/// inserts only the new ones, so a provider's retry (in the same batch or another) answers the contact
/// stored first. A transient failure runs the whole transaction again; any other failure is retried one
/// call per transaction, so one bad call fails alone (a transient failure that outlasts the retries fails
/// the batch's calls together, as it would have failed each: the door answers what it answers to an outage). The opening hours are read once per transaction.
/// </para>
/// </summary>
internal sealed partial class NewCallWriter(
    IServiceScopeFactory scopes,
    OutboxSignal outbox,
    IntakeMetrics metrics,
    IOptions<CallOptions> options,
    ILogger<NewCallWriter> logger)
{
    private readonly ConcurrentQueue<PendingCall> _waiting = new();
    private int _writers;

    /// <summary>Stores the call (or finds it stored) and answers once it is committed.</summary>
    public Task<RecordedCall> RecordAsync(NewCall incoming, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var pending = new PendingCall(incoming, now);
        _waiting.Enqueue(pending);
        StartWriterIfNeeded();
        // The commit serves every call of its batch, so a caller that gives up does not cancel it: its
        // call may still be stored, which its provider's retry then finds.
        return pending.Result.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Starts a writer when calls wait and fewer than the limit run; a writer that ends checks again, so none is left waiting.</summary>
    private void StartWriterIfNeeded()
    {
        while (!_waiting.IsEmpty)
        {
            var running = Volatile.Read(ref _writers);
            if (running >= options.Value.ConcurrentCommits)
            {
                return;
            }

            if (Interlocked.CompareExchange(ref _writers, running + 1, running) == running)
            {
                _ = Task.Run(WriteWhileWaitingAsync);
                return;
            }
        }
    }

    private async Task WriteWhileWaitingAsync()
    {
        try
        {
            while (TakeBatch() is { Count: > 0 } batch)
            {
                await WriteAsync(batch);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _writers);
            StartWriterIfNeeded();
        }
    }

    private List<PendingCall> TakeBatch()
    {
        var batch = new List<PendingCall>();
        while (batch.Count < options.Value.MaxCallsPerCommit && _waiting.TryDequeue(out var pending))
        {
            batch.Add(pending);
        }

        return batch;
    }

    private async Task WriteAsync(List<PendingCall> batch)
    {
        try
        {
            Complete(await CommitAsync(batch));
        }
        catch (Exception exception) when (batch.Count > 1 && !TransientFaults.IsTransient(exception))
        {
            LogBatchFailed(logger, batch.Count, exception.GetType().Name);
            foreach (var pending in batch)
            {
                await WriteAsync([pending]);
            }
        }
        catch (Exception exception)
        {
            foreach (var pending in batch)
            {
                pending.Result.TrySetException(exception);
            }
        }
    }

    /// <summary>One transaction for the batch; what each call became, in the batch's order.</summary>
    private async Task<IReadOnlyList<(PendingCall Pending, RecordedCall Recorded, CallTransition? Arrived)>> CommitAsync(List<PendingCall> batch)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IntakeDbContext>();
        var openingHours = scope.ServiceProvider.GetRequiredService<OpeningHoursService>();
        return await db.RetryingStrategy().ExecuteAsync(
            async cancellation =>
            {
                db.ChangeTracker.Clear();
                await using var transaction = await db.Database.BeginTransactionAsync(cancellation);
                var providers = batch.Select(p => p.Incoming.Provider).Distinct(StringComparer.Ordinal).ToArray();
                var callIds = batch.Select(p => p.Incoming.ProviderCallId).Distinct(StringComparer.Ordinal).ToArray();
                var lockProviders = batch.Select(p => p.Incoming.Provider).ToArray();
                var lockCallIds = batch.Select(p => p.Incoming.ProviderCallId).ToArray();
                // Held to the commit, taken in one order by every transaction, so two copies of one webhook
                // (here or on another replica) take turns and the unique index is never what refuses one.
                await db.Database.ExecuteSqlAsync(
                    $"""
                     SELECT pg_advisory_xact_lock(p, c) FROM (
                       SELECT DISTINCT hashtext(k.provider) AS p, hashtext(k.call_id) AS c
                       FROM unnest({lockProviders}::text[], {lockCallIds}::text[]) AS k(provider, call_id)
                       ORDER BY 1, 2) AS keys
                     """,
                    cancellation);
                var stored = await db.InboundCalls
                    .Where(c => providers.Contains(c.Provider) && callIds.Contains(c.ProviderCallId))
                    .Select(c => new { c.Provider, c.ProviderCallId, c.Id, c.State })
                    .ToListAsync(cancellation);
                var known = stored.ToDictionary(c => (c.Provider, c.ProviderCallId), c => (c.Id, c.State));
                var hours = await openingHours.ForAsync(
                    batch.Min(p => p.Incoming.ReceivedAt),
                    batch.Max(p => p.Incoming.ReceivedAt).AddDays(OpeningHours.HorizonDays + 1),
                    cancellation);

                var results = new List<(PendingCall, RecordedCall, CallTransition?)>(batch.Count);
                foreach (var pending in batch)
                {
                    var key = (pending.Incoming.Provider, pending.Incoming.ProviderCallId);
                    if (known.TryGetValue(key, out var first))
                    {
                        results.Add((pending, new RecordedCall(first.Id, first.State, true, hours), null));
                        continue;
                    }

                    var arrived = Stage(db, pending, hours);
                    known[key] = (arrived.Call.Id, arrived.Call.State);
                    results.Add((pending, new RecordedCall(arrived.Call.Id, arrived.Call.State, false, hours), arrived));
                }

                await db.SaveChangesAsync(cancellation);
                await transaction.CommitAsync(cancellation);
                return (IReadOnlyList<(PendingCall, RecordedCall, CallTransition?)>)results;
            },
            CancellationToken.None);
    }

    private static CallTransition Stage(IntakeDbContext db, PendingCall pending, OpeningHours hours)
    {
        var (incoming, now) = (pending.Incoming, pending.Now);
        var arrived = CallLifecycle.Arrive(Guid.CreateVersion7(now), incoming, hours.IsOpen(incoming.ReceivedAt), now);
        var call = new InboundCall
        {
            Id = arrived.Call.Id,
            Provider = incoming.Provider,
            ProviderCallId = incoming.ProviderCallId,
            CallerKey = incoming.CallerKey,
            DialledNumber = incoming.DialledNumber,
            ReceivedAt = incoming.ReceivedAt,
            StoredAt = now,
        };
        call.Take(arrived.Call);
        db.InboundCalls.Add(call);
        foreach (var message in arrived.Messages)
        {
            db.OutboxMessages.Add(OutboxMessage.Publish(message, now));
        }

        return arrived;
    }

    private void Complete(IReadOnlyList<(PendingCall Pending, RecordedCall Recorded, CallTransition? Arrived)> results)
    {
        if (results.Any(result => result.Arrived?.Messages.Any() == true))
        {
            outbox.Notify();
        }

        metrics.CallsCommittedTogether(results.Count);
        foreach (var (pending, recorded, arrived) in results)
        {
            if (arrived is null)
            {
                metrics.DuplicateCall(pending.Incoming.Provider);
                LogDuplicate(logger, recorded.ContactId);
            }
            else
            {
                metrics.CallReceived(pending.Incoming.Provider);
                metrics.CallChanged(null, arrived.Call);
                LogReceived(logger, recorded.ContactId, pending.Incoming.Provider, recorded.State, pending.Incoming.CallerKey is null);
            }

            pending.Result.TrySetResult(recorded);
        }
    }

    private sealed record PendingCall(NewCall Incoming, DateTimeOffset Now)
    {
        public TaskCompletionSource<RecordedCall> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Call stored as contact {ContactId} from {Provider}, {State} (withheld: {Withheld})")]
    private static partial void LogReceived(ILogger logger, Guid contactId, string provider, CallState state, bool withheld);

    [LoggerMessage(Level = LogLevel.Information, Message = "Repeated provider call id answered with contact {ContactId}")]
    private static partial void LogDuplicate(ILogger logger, Guid contactId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A commit of {Count} new calls failed ({ExceptionType}); each is written on its own")]
    private static partial void LogBatchFailed(ILogger logger, int count, string exceptionType);
}
