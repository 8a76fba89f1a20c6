using Helpline.Contracts;
using Helpline.Intake.Data;
using Helpline.ServiceDefaults.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Helpline.Intake.Calls;

/// <summary>
/// Changes a stored call under a row lock (<c>SELECT … FOR UPDATE</c>), so a webhook, an API request and
/// a Console command racing on one call are applied one after the other. The change and the message it
/// publishes (if any) are committed together through the outbox, never published directly.
/// </summary>
internal sealed class CallLifecycle(IntakeDbContext db, OutboxSignal outbox, IntakeMetrics metrics)
{
    /// <summary>Applies <paramref name="decide"/> to the call with this contact id; null when there is no such call.</summary>
    public Task<Change?> UpdateAsync(Guid contactId, Func<InboundCall, object?> decide, DateTimeOffset now, CancellationToken cancellationToken) =>
        UpdateAsync(db.InboundCalls.FromSql($"SELECT * FROM intake.inbound_calls WHERE id = {contactId} FOR UPDATE"), decide, now, cancellationToken);

    /// <summary>Applies <paramref name="decide"/> to the call a provider knows by this id; null when there is no such call.</summary>
    public Task<Change?> UpdateAsync(string provider, string providerCallId, Func<InboundCall, object?> decide, DateTimeOffset now, CancellationToken cancellationToken) =>
        UpdateAsync(
            db.InboundCalls.FromSql($"SELECT * FROM intake.inbound_calls WHERE provider = {provider} AND provider_call_id = {providerCallId} FOR UPDATE"),
            decide,
            now,
            cancellationToken);

    private async Task<Change?> UpdateAsync(IQueryable<InboundCall> locked, Func<InboundCall, object?> decide, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var call = (await locked.ToListAsync(cancellationToken)).SingleOrDefault();
        if (call is null)
        {
            return null;
        }

        var message = decide(call);
        if (message is not null)
        {
            db.OutboxMessages.Add(OutboxMessage.Publish(message, now));
        }

        var changed = db.ChangeTracker.HasChanges();
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (message is not null)
        {
            outbox.Notify();
        }

        if (message is CallerHungUp hungUp)
        {
            metrics.CallAbandoned(hungUp.ShortAbandon);
        }

        return new Change(call, message, changed);
    }
}

/// <summary>The call after a change, the message the change published (if any), and whether anything changed at all.</summary>
internal sealed record Change(InboundCall Call, object? Published, bool Changed);

/// <summary>
/// The lifecycle rules shared by every door, as domain.md states them. Each returns the message to
/// publish, or null when the event changes nothing (a repeat, or too late to matter).
/// </summary>
internal static class CallTransitions
{
    /// <summary>
    /// The caller hung up: unanswered (<see cref="CallState.Abandoned"/>) while waiting, flagged a short
    /// abandon when it came at most <paramref name="shortAbandonThreshold"/> after the call arrived;
    /// <see cref="CallState.Completed"/> once answered.
    /// </summary>
    public static object? CallerHungUp(InboundCall call, DateTimeOffset at, TimeSpan shortAbandonThreshold) => call.State switch
    {
        CallState.Queued or CallState.Connecting => Abandon(call, at, shortAbandonThreshold),
        CallState.Answered => Complete(call, CallEndedBy.Caller, at),
        _ => null,
    };

    /// <summary>The bridge reports the advisor's phone picked up: a call connecting to this advisor is answered; null for any other state.</summary>
    public static CallConnected? Answered(InboundCall call, Guid advisorId, DateTimeOffset at)
    {
        if (call.State != CallState.Connecting || call.AdvisorId != advisorId)
        {
            return null;
        }

        call.State = CallState.Answered;
        call.AnsweredAt = at;
        call.UpdatedAt = at;
        return new CallConnected { ContactId = call.Id, AdvisorId = advisorId, At = at };
    }

    /// <summary>Connecting to this advisor failed: the call goes back to the queue with its place (Console keeps the entry time); null for any other state.</summary>
    public static CallConnectFailed? ConnectFailed(InboundCall call, Guid advisorId, string detail, DateTimeOffset at)
    {
        if (call.State != CallState.Connecting || call.AdvisorId != advisorId)
        {
            return null;
        }

        call.State = CallState.Queued;
        call.AdvisorId = null;
        call.UpdatedAt = at;
        return new CallConnectFailed { ContactId = call.Id, AdvisorId = advisorId, Detail = detail, At = at };
    }

    /// <summary>An answered call ended; null for any other state.</summary>
    public static object? Ended(InboundCall call, CallEndedBy endedBy, DateTimeOffset at) =>
        call.State == CallState.Answered ? Complete(call, endedBy, at) : null;

    private static CallerHungUp Abandon(InboundCall call, DateTimeOffset at, TimeSpan shortAbandonThreshold)
    {
        call.State = CallState.Abandoned;
        call.EndedAt = at;
        call.UpdatedAt = at;
        call.ShortAbandon = at - call.ReceivedAt <= shortAbandonThreshold;
        return new CallerHungUp { ContactId = call.Id, At = at, ShortAbandon = call.ShortAbandon };
    }

    private static CallEnded Complete(InboundCall call, CallEndedBy endedBy, DateTimeOffset at)
    {
        call.State = CallState.Completed;
        call.EndedAt = at;
        call.EndedBy = endedBy;
        call.UpdatedAt = at;
        return new CallEnded { ContactId = call.Id, EndedBy = endedBy, At = at };
    }
}
