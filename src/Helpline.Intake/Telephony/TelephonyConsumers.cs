using Helpline.Contracts;
using Helpline.Intake.Calls;
using Helpline.Intake.Data;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Helpline.Intake.Telephony;

/// <summary>
/// Console's advisor accepted: claim the call (Connecting), ask the provider to bridge it, then record
/// the outcome and publish <see cref="CallConnected"/> or <see cref="CallConnectFailed"/> through the outbox.
/// A provider that bridges on its own (the external bridge) leaves the call Connecting, its answer
/// timeout starting now, until it reports the answer. A command for a contact Intake does not know is
/// logged and dropped.
/// </summary>
internal sealed partial class ConnectCallConsumer(
    CallLifecycle lifecycle,
    ITelephonyProvider provider,
    IntakeMetrics metrics,
    TimeProvider time,
    ILogger<ConnectCallConsumer> logger) : IConsumer<ConnectCall>
{
    public async Task Consume(ConsumeContext<ConnectCall> context)
    {
        var command = context.Message;
        var cancellationToken = context.CancellationToken;
        var claimed = false;
        var now = time.GetUtcNow();
        var claim = await lifecycle.UpdateAsync(command.ContactId, call =>
        {
            if (call.State == CallState.Answered && call.AdvisorId == command.AdvisorId)
            {
                return null;
            }

            if (call.State == CallState.Queued || (call.State == CallState.Connecting && call.AdvisorId == command.AdvisorId))
            {
                call.State = CallState.Connecting;
                call.AdvisorId = command.AdvisorId;
                call.UpdatedAt = now;
                claimed = true;
                return null;
            }

            return Failed(command, $"The call is no longer waiting for this advisor (it is {call.State}).", now);
        }, now, cancellationToken);

        if (claim is null)
        {
            LogUnknownContact(logger, nameof(ConnectCall), command.ContactId);
            return;
        }

        if (!claimed)
        {
            LogNotConnected(logger, command.ContactId, claim.Call.State);
            return;
        }

        var result = AdvisorEndpoint.TryParse(command.AdvisorEndpoint, out var endpoint)
            ? await provider.ConnectAsync(claim.Call, endpoint, cancellationToken)
            : ProviderResult.Failure("The advisor's endpoint is neither client:identity nor an E.164 number.");
        metrics.ProviderRequest(provider.Name, "connect", result.Succeeded);

        var done = time.GetUtcNow();
        var outcome = await lifecycle.UpdateAsync(command.ContactId, call =>
        {
            if (call.State != CallState.Connecting || call.AdvisorId != command.AdvisorId)
            {
                return null;
            }

            call.UpdatedAt = done;
            if (result.Pending)
            {
                return null;
            }

            if (result.Succeeded)
            {
                call.State = CallState.Answered;
                call.AnsweredAt = done;
                return new CallConnected { ContactId = call.Id, AdvisorId = command.AdvisorId, At = done };
            }

            call.State = CallState.Queued;
            call.AdvisorId = null;
            return Failed(command, result.Detail!, done);
        }, done, cancellationToken);
        LogConnectOutcome(logger, command.ContactId, command.AdvisorId, outcome?.Call.State);
    }

    private static CallConnectFailed Failed(ConnectCall command, string detail, DateTimeOffset at) =>
        new() { ContactId = command.ContactId, AdvisorId = command.AdvisorId, Detail = detail, At = at };

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Command} for unknown contact {ContactId} dropped")]
    internal static partial void LogUnknownContact(ILogger logger, string command, Guid contactId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Contact {ContactId} not connected: it is {State}")]
    private static partial void LogNotConnected(ILogger logger, Guid contactId, CallState state);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connecting contact {ContactId} to advisor {AdvisorId} left it {State}")]
    private static partial void LogConnectOutcome(ILogger logger, Guid contactId, Guid advisorId, CallState? state);
}

/// <summary>
/// The router will not queue the call (nobody signed in, queue full, waited too long): the provider
/// plays the message and ends the call, and the reason is recorded on the call. Console already
/// knows, so nothing is published. A provider failure is retried, then faults to the error queue.
/// </summary>
internal sealed partial class TurnAwayCallConsumer(
    IntakeDbContext db,
    CallLifecycle lifecycle,
    ITelephonyProvider provider,
    IntakeMetrics metrics,
    TimeProvider time,
    ILogger<TurnAwayCallConsumer> logger) : IConsumer<TurnAwayCall>
{
    public async Task Consume(ConsumeContext<TurnAwayCall> context)
    {
        var command = context.Message;
        var cancellationToken = context.CancellationToken;
        if (command.Reason is not (UnansweredReason.NoAdvisors or UnansweredReason.Overflow))
        {
            LogBadReason(logger, command.ContactId, command.Reason);
            return;
        }

        var call = await db.InboundCalls.AsNoTracking().SingleOrDefaultAsync(c => c.Id == command.ContactId, cancellationToken);
        if (call is null)
        {
            ConnectCallConsumer.LogUnknownContact(logger, nameof(TurnAwayCall), command.ContactId);
            return;
        }

        if (call.State != CallState.Queued)
        {
            LogNotWaiting(logger, command.ContactId, call.State);
            return;
        }

        var result = await provider.TurnAwayAsync(call, command.Reason, cancellationToken);
        metrics.ProviderRequest(provider.Name, "turn-away", result.Succeeded);
        if (!result.Succeeded)
        {
            throw new TelephonyException(result.Detail!);
        }

        var now = time.GetUtcNow();
        var change = await lifecycle.UpdateAsync(command.ContactId, locked =>
        {
            if (locked.State == CallState.Queued)
            {
                locked.State = command.Reason == UnansweredReason.NoAdvisors ? CallState.NoAdvisors : CallState.Overflow;
                locked.UpdatedAt = now;
            }

            return null;
        }, now, cancellationToken);
        if (change is { Changed: true })
        {
            metrics.CallUnanswered(command.Reason);
            LogTurnedAway(logger, command.ContactId, command.Reason);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "TurnAwayCall for contact {ContactId} with reason {Reason} dropped: only NoAdvisors and Overflow turn a call away")]
    private static partial void LogBadReason(ILogger logger, Guid contactId, UnansweredReason reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "TurnAwayCall for contact {ContactId} ignored: it is {State}")]
    private static partial void LogNotWaiting(ILogger logger, Guid contactId, CallState state);

    [LoggerMessage(Level = LogLevel.Information, Message = "Contact {ContactId} turned away: {Reason}")]
    private static partial void LogTurnedAway(ILogger logger, Guid contactId, UnansweredReason reason);
}

/// <summary>
/// The advisor completed the call in the console. An answered call is recorded <see cref="CallState.Completed"/>,
/// ended by the advisor, and only then does the provider hang it up, so the provider's own "call ended"
/// callbacks find it completed and publish nothing. Nothing is published either: Console completed the
/// contact already, and a <see cref="CallEnded"/> back would only be refused by its router as a contact
/// that already ended. A call that ended some other way first (the caller hung up) is left as it is; a
/// call this advisor already completed is hung up again (a redelivery after a provider failure).
/// </summary>
internal sealed partial class EndCallConsumer(
    CallLifecycle lifecycle,
    ITelephonyProvider provider,
    IntakeMetrics metrics,
    ILogger<EndCallConsumer> logger) : IConsumer<EndCall>
{
    public async Task Consume(ConsumeContext<EndCall> context)
    {
        var command = context.Message;
        var cancellationToken = context.CancellationToken;
        var hangUp = false;
        var change = await lifecycle.UpdateAsync(command.ContactId, call =>
        {
            if (call.AdvisorId != command.AdvisorId)
            {
                return null;
            }

            if (call.State == CallState.Answered)
            {
                call.State = CallState.Completed;
                call.EndedBy = CallEndedBy.Advisor;
                call.EndedAt = command.At;
                call.UpdatedAt = command.At;
                hangUp = true;
            }
            else if (call is { State: CallState.Completed, EndedBy: CallEndedBy.Advisor })
            {
                hangUp = true;
            }

            return null;
        }, command.At, cancellationToken);

        if (change is null)
        {
            ConnectCallConsumer.LogUnknownContact(logger, nameof(EndCall), command.ContactId);
            return;
        }

        if (!hangUp)
        {
            LogIgnored(logger, command.ContactId, change.Call.State, change.Call.EndedBy);
            return;
        }

        var result = await provider.HangUpAsync(change.Call, cancellationToken);
        metrics.ProviderRequest(provider.Name, "hang-up", result.Succeeded);
        if (!result.Succeeded)
        {
            throw new TelephonyException(result.Detail!);
        }

        LogEnded(logger, command.ContactId, command.AdvisorId);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "EndCall for contact {ContactId} ignored: it is {State} (ended by {EndedBy}) or another advisor's")]
    private static partial void LogIgnored(ILogger logger, Guid contactId, CallState state, CallEndedBy? endedBy);

    [LoggerMessage(Level = LogLevel.Information, Message = "Contact {ContactId} completed by advisor {AdvisorId} and hung up")]
    private static partial void LogEnded(ILogger logger, Guid contactId, Guid advisorId);
}

/// <summary>
/// Remembers each waiting call's latest place in the queue for the hold messages; older updates are ignored.
/// Position 0 is Console's "ringing at an advisor"; waiting calls count from 1. One announcement lists every
/// waiting call, so it is applied as one statement: a long queue costs one round trip and one commit, not one
/// per call.
/// </summary>
internal sealed partial class CallQueuePositionsConsumer(IntakeDbContext db, ILogger<CallQueuePositionsConsumer> logger) : IConsumer<CallQueuePositions>
{
    public async Task Consume(ConsumeContext<CallQueuePositions> context)
    {
        var message = context.Message;
        var valid = new List<CallQueuePosition>(message.Calls.Count);
        foreach (var update in message.Calls)
        {
            if (update.Position < 0 || update.EstimatedWait < TimeSpan.Zero)
            {
                LogInvalid(logger, update.ContactId);
            }
            else
            {
                valid.Add(update);
            }
        }

        if (valid.Count == 0)
        {
            return;
        }

        var ids = valid.Select(u => u.ContactId).ToArray();
        var positions = valid.Select(u => u.Position).ToArray();
        var waits = valid.Select(u => u.EstimatedWait).ToArray();
        var at = message.At.ToUniversalTime();
        var queued = nameof(CallState.Queued);
        var connecting = nameof(CallState.Connecting);
        var unknown = await db.Database.SqlQuery<Guid>($"""
            WITH updates AS (
                SELECT * FROM unnest({ids}, {positions}, {waits}) AS u(id, position, wait)),
            changed AS (
                UPDATE intake.inbound_calls AS c
                SET queue_position = u.position, estimated_wait = u.wait, queue_updated_at = {at}
                FROM updates AS u
                WHERE c.id = u.id AND c.state IN ({queued}, {connecting})
                  AND (c.queue_updated_at IS NULL OR c.queue_updated_at < {at})
                RETURNING c.id)
            SELECT u.id AS "Value" FROM updates AS u
            WHERE NOT EXISTS (SELECT 1 FROM intake.inbound_calls AS c WHERE c.id = u.id)
            """).ToListAsync(context.CancellationToken);
        foreach (var contactId in unknown)
        {
            ConnectCallConsumer.LogUnknownContact(logger, nameof(CallQueuePositions), contactId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue position for contact {ContactId} dropped: position must be 0 (ringing) or more and the estimate not negative")]
    private static partial void LogInvalid(ILogger logger, Guid contactId);
}

/// <summary>The provider refused or could not be reached; the message is retried.</summary>
internal sealed class TelephonyException(string message) : Exception(message);

/// <summary>Retries for transient failures (database, provider) on every telephony endpoint; then the error queue.</summary>
internal sealed class TelephonyConsumerDefinition<TConsumer> : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<TConsumer> consumerConfigurator, IRegistrationContext context) =>
        endpointConfigurator.UseMessageRetry(retry => retry.Intervals(200, 1000, 3000));
}
