using Helpline.Intake.Data;
using Helpline.Intake.Hours;
using Helpline.ServiceDefaults.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Helpline.Intake.Calls;

/// <summary>A call a provider (or the provider-neutral API) just announced.</summary>
internal sealed record NewCall(
    string Provider,
    string ProviderCallId,
    string? CallerKey,
    string DialledNumber,
    DateTimeOffset ReceivedAt,
    string? ProviderStatus);

/// <summary>What <see cref="CallStore.RecordAsync"/> stored, or found already stored for the same provider call id.</summary>
/// <param name="Hours">The opening hours the call was judged against (for a door's out-of-hours message).</param>
internal sealed record RecordedCall(Guid ContactId, CallState State, bool Duplicate, OpeningHours Hours);

/// <summary>A stored call after an event, and the transition the event made.</summary>
internal sealed record CallChange(InboundCall Stored, CallTransition Transition)
{
    public CallVerdict Verdict => Transition.Verdict;
}

/// <summary>
/// The stored calls, changed only through <see cref="CallLifecycle"/>. A new call is judged against the
/// opening hours at its <see cref="NewCall.ReceivedAt"/> here, for every door alike. It is stored with its
/// outbox message in one transaction; a repeat of the same provider call id answers what was stored the
/// first time. An event is applied under the call's row lock
/// (<c>SELECT … FOR UPDATE</c>), so a webhook, an API request and a Console command racing on one call
/// are applied one after the other, and the change is committed with the messages it publishes.
/// </summary>
internal sealed class CallStore(
    IntakeDbContext db,
    CallLifecycle lifecycle,
    NewCallWriter writer,
    OutboxSignal outbox,
    IntakeMetrics metrics)
{
    /// <summary>Stores the new call with its outbox message (committed with other calls arriving at once: <see cref="NewCallWriter"/>), or answers the one stored for the same provider call id.</summary>
    public Task<RecordedCall> RecordAsync(NewCall incoming, DateTimeOffset now, CancellationToken cancellationToken) =>
        writer.RecordAsync(incoming, now, cancellationToken);

    /// <summary>Applies <paramref name="e"/> to the call with this contact id; null when there is no such call.</summary>
    /// <param name="stage">Adds rows of the door's own to the same transaction (the encrypted callback number).</param>
    public Task<CallChange?> ApplyAsync(Guid contactId, CallEvent e, DateTimeOffset now, CancellationToken cancellationToken, Action<CallChange>? stage = null) =>
        ApplyAsync(db.InboundCalls.FromSql($"SELECT * FROM intake.inbound_calls WHERE id = {contactId} FOR UPDATE"), e, now, stage, cancellationToken);

    /// <summary>Applies <paramref name="e"/> to the call a provider knows by this id; null when there is no such call.</summary>
    /// <param name="stage">Adds rows of the door's own to the same transaction (the encrypted callback number).</param>
    public Task<CallChange?> ApplyAsync(string provider, string providerCallId, CallEvent e, DateTimeOffset now, CancellationToken cancellationToken, Action<CallChange>? stage = null) =>
        ApplyAsync(
            db.InboundCalls.FromSql($"SELECT * FROM intake.inbound_calls WHERE provider = {provider} AND provider_call_id = {providerCallId} FOR UPDATE"),
            e,
            now,
            stage,
            cancellationToken);

    /// <summary>
    /// Runs through the retrying execution strategy (<c>RetryingStrategy</c>): a transient failure runs the
    /// whole transaction again from a clean change tracker (the lifecycle is pure, so the second run
    /// decides from what is stored, like the first).
    /// </summary>
    private async Task<CallChange?> ApplyAsync(IQueryable<InboundCall> locked, CallEvent e, DateTimeOffset now, Action<CallChange>? stage, CancellationToken cancellationToken)
    {
        var (change, before, published) = await db.RetryingStrategy().ExecuteAsync(
            async cancellation =>
            {
                db.ChangeTracker.Clear();
                await using var transaction = await db.Database.BeginTransactionAsync(cancellation);
                var stored = (await locked.ToListAsync(cancellation)).SingleOrDefault();
                if (stored is null)
                {
                    return (null, default, false);
                }

                var before = stored.State;
                var change = new CallChange(stored, lifecycle.Apply(stored.ToCall(), e, now));
                stored.Take(change.Transition.Call);
                var published = Stage(change.Transition, now);
                stage?.Invoke(change);
                await db.SaveChangesAsync(cancellation);
                await transaction.CommitAsync(cancellation);
                return ((CallChange?)change, before, published);
            },
            cancellationToken);
        if (change is null)
        {
            return null;
        }

        if (published)
        {
            outbox.Notify();
        }

        metrics.CallChanged(before, change.Transition.Call);
        return change;
    }

    /// <summary>Adds the transition's messages to the outbox; true when there were any.</summary>
    private bool Stage(CallTransition transition, DateTimeOffset now)
    {
        var published = false;
        foreach (var message in transition.Messages)
        {
            db.OutboxMessages.Add(OutboxMessage.Publish(message, now));
            published = true;
        }

        return published;
    }
}
