using Helpline.Contracts;
using Helpline.Intake.Data;
using Helpline.ServiceDefaults.Outbox;
using Helpline.ServiceDefaults;
using Microsoft.EntityFrameworkCore;

namespace Helpline.Intake.Calls;

/// <summary>A call a provider (or the provider-neutral API) just announced.</summary>
/// <param name="InHours">False when the helpline is closed: the call is recorded <see cref="CallState.OutOfHours"/> and not queued.</param>
internal sealed record NewCall(
    string Provider,
    string ProviderCallId,
    string? CallerKey,
    string DialledNumber,
    DateTimeOffset ReceivedAt,
    string? ProviderStatus,
    bool InHours);

/// <summary>What <see cref="CallRecorder"/> stored, or found already stored for the same provider call id.</summary>
internal sealed record RecordedCall(Guid ContactId, CallState State, bool Duplicate);

/// <summary>
/// The one way a call is first stored, for every door (<c>POST /api/calls</c>, Twilio's webhook): the
/// call row and its outbox message (<see cref="ContactReceived"/>, or <see cref="CallNotQueued"/> out of
/// hours) in one transaction. A repeat of the same provider call id hits the unique index and answers
/// what was stored the first time, storing and publishing nothing new.
/// </summary>
internal sealed partial class CallRecorder(IntakeDbContext db, OutboxSignal outbox, IntakeMetrics metrics, ILogger<CallRecorder> logger)
{
    public async Task<RecordedCall> RecordAsync(NewCall incoming, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var call = new InboundCall
        {
            Id = Guid.CreateVersion7(now),
            Provider = incoming.Provider,
            ProviderCallId = incoming.ProviderCallId,
            CallerKey = incoming.CallerKey,
            DialledNumber = incoming.DialledNumber,
            ReceivedAt = incoming.ReceivedAt,
            StoredAt = now,
            State = incoming.InHours ? CallState.Queued : CallState.OutOfHours,
            ProviderStatus = incoming.ProviderStatus,
            UpdatedAt = now,
            EndedAt = incoming.InHours ? null : incoming.ReceivedAt,
        };
        db.InboundCalls.Add(call);
        db.OutboxMessages.Add(OutboxMessage.Publish(
            incoming.InHours
                ? new ContactReceived
                {
                    ContactId = call.Id,
                    Channel = ContactChannel.Call,
                    ProviderReference = call.ProviderCallId,
                    CallerKey = call.CallerKey,
                    ReceivedAt = call.ReceivedAt,
                }
                : new CallNotQueued
                {
                    ContactId = call.Id,
                    Reason = UnansweredReason.OutOfHours,
                    ProviderReference = call.ProviderCallId,
                    CallerKey = call.CallerKey,
                    ReceivedAt = call.ReceivedAt,
                },
            now));

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.IsUniqueViolation())
        {
            db.ChangeTracker.Clear();
            var existing = await db.InboundCalls
                .Where(c => c.Provider == incoming.Provider && c.ProviderCallId == incoming.ProviderCallId)
                .Select(c => new RecordedCall(c.Id, c.State, true))
                .SingleAsync(cancellationToken);
            metrics.DuplicateCall(incoming.Provider);
            LogDuplicate(logger, existing.ContactId);
            return existing;
        }

        outbox.Notify();
        metrics.CallReceived(incoming.Provider);
        if (!incoming.InHours)
        {
            metrics.CallUnanswered(UnansweredReason.OutOfHours);
        }

        LogReceived(logger, call.Id, call.Provider, call.State, call.CallerKey is null);
        return new RecordedCall(call.Id, call.State, false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Call stored as contact {ContactId} from {Provider}, {State} (withheld: {Withheld})")]
    private static partial void LogReceived(ILogger logger, Guid contactId, string provider, CallState state, bool withheld);

    [LoggerMessage(Level = LogLevel.Information, Message = "Repeated provider call id answered with contact {ContactId}")]
    private static partial void LogDuplicate(ILogger logger, Guid contactId);
}
