using Helpline.Contracts;
using Helpline.Intake.Calls;
using Helpline.Intake.Data;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Helpline.Intake.Telephony;

/// <summary>
/// A Console command applied to its call, then the provider request the call's lifecycle asks for (if it
/// asks for one): what every telephony command does first. A command for a contact Intake does not know,
/// or one the lifecycle asks nothing of the provider for, is logged and dropped.
/// </summary>
internal sealed partial class TelephonyCommands(CallStore calls, ITelephonyProvider provider, IntakeMetrics metrics, ILogger<TelephonyCommands> logger)
{
    /// <returns>The call and the provider's result; null when no provider request was made.</returns>
    public async Task<(InboundCall Call, ProviderResult Result)?> ApplyAsync<TEffect>(
        string command,
        Guid contactId,
        CallEvent e,
        DateTimeOffset now,
        string operation,
        Func<ITelephonyProvider, InboundCall, TEffect, CancellationToken, Task<ProviderResult>> request,
        CancellationToken cancellationToken)
        where TEffect : CallEffect
    {
        var change = await calls.ApplyAsync(contactId, e, now, cancellationToken);
        if (change is null)
        {
            LogUnknownContact(logger, command, contactId);
            return null;
        }

        if (change.Transition.Effects.OfType<TEffect>().FirstOrDefault() is not { } effect)
        {
            LogNothingToDo(logger, command, contactId, change.Stored.State, change.Stored.EndedBy);
            return null;
        }

        var result = await request(provider, change.Stored, effect, cancellationToken);
        metrics.ProviderRequest(provider.Name, operation, result.Succeeded);
        return (change.Stored, result);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Command} for unknown contact {ContactId} dropped")]
    internal static partial void LogUnknownContact(ILogger logger, string command, Guid contactId);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Command} for contact {ContactId} ignored: it is {State} (ended by {EndedBy}) or another advisor's")]
    private static partial void LogNothingToDo(ILogger logger, string command, Guid contactId, CallState state, CallEndedBy? endedBy);
}

/// <summary>
/// Console's advisor accepted: claim the call (Connecting), ask the provider to bridge it, then record
/// the outcome, which publishes <see cref="CallConnected"/> or <see cref="CallConnectFailed"/> through the outbox.
/// A provider that bridges on its own (the external bridge) leaves the call Connecting, its answer
/// timeout starting now, until it reports the answer.
/// </summary>
internal sealed partial class ConnectCallConsumer(TelephonyCommands commands, CallStore calls, TimeProvider time, ILogger<ConnectCallConsumer> logger) : IConsumer<ConnectCall>
{
    public async Task Consume(ConsumeContext<ConnectCall> context)
    {
        var command = context.Message;
        var connect = await commands.ApplyAsync<CallEffect.Connect>(
            nameof(ConnectCall),
            command.ContactId,
            new CallEvent.ConnectRequested(command.AdvisorId),
            time.GetUtcNow(),
            "connect",
            (provider, call, _, cancellationToken) => AdvisorEndpoint.TryParse(command.AdvisorEndpoint, out var endpoint)
                ? provider.ConnectAsync(call, endpoint, cancellationToken)
                : Task.FromResult(ProviderResult.Failure("The advisor's endpoint is neither client:identity nor an E.164 number.")),
            context.CancellationToken);
        if (connect is not { Result: var result })
        {
            return;
        }

        var done = time.GetUtcNow();
        CallEvent outcome = result switch
        {
            { Pending: true } => new CallEvent.AwaitingAnswer(command.AdvisorId),
            { Succeeded: true } => new CallEvent.Answered(command.AdvisorId, done),
            _ => new CallEvent.ConnectFailed(command.AdvisorId, result.Detail!, done),
        };
        var connected = await calls.ApplyAsync(command.ContactId, outcome, done, context.CancellationToken);
        LogConnectOutcome(logger, command.ContactId, command.AdvisorId, connected?.Stored.State);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Connecting contact {ContactId} to advisor {AdvisorId} left it {State}")]
    private static partial void LogConnectOutcome(ILogger logger, Guid contactId, Guid advisorId, CallState? state);
}

/// <summary>
/// The router will not queue the call (nobody signed in, queue full, waited too long): the provider
/// plays the message and ends the call, and the reason is recorded on the call. Console already
/// knows, so nothing is published. A provider failure is retried, then faults to the error queue.
/// </summary>
internal sealed partial class TurnAwayCallConsumer(TelephonyCommands commands, CallStore calls, TimeProvider time, ILogger<TurnAwayCallConsumer> logger) : IConsumer<TurnAwayCall>
{
    public async Task Consume(ConsumeContext<TurnAwayCall> context)
    {
        var command = context.Message;
        if (command.Reason is not (UnansweredReason.NoAdvisors or UnansweredReason.Overflow))
        {
            LogBadReason(logger, command.ContactId, command.Reason);
            return;
        }

        var turnAway = await commands.ApplyAsync<CallEffect.TurnAway>(
            nameof(TurnAwayCall),
            command.ContactId,
            new CallEvent.TurnAwayRequested(command.Reason),
            time.GetUtcNow(),
            "turn-away",
            (provider, call, effect, cancellationToken) => provider.TurnAwayAsync(call, effect.Reason, cancellationToken),
            context.CancellationToken);
        if (turnAway is not { Result: var result })
        {
            return;
        }

        TelephonyException.ThrowIfFailed(result);
        if (await calls.ApplyAsync(command.ContactId, new CallEvent.TurnedAway(command.Reason), time.GetUtcNow(), context.CancellationToken) is { Verdict: CallVerdict.Applied })
        {
            LogTurnedAway(logger, command.ContactId, command.Reason);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "TurnAwayCall for contact {ContactId} with reason {Reason} dropped: only NoAdvisors and Overflow turn a call away")]
    private static partial void LogBadReason(ILogger logger, Guid contactId, UnansweredReason reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Contact {ContactId} turned away: {Reason}")]
    private static partial void LogTurnedAway(ILogger logger, Guid contactId, UnansweredReason reason);
}

/// <summary>
/// The advisor completed the call in the console: the call is recorded completed by the advisor, and only
/// then does the provider hang it up (<see cref="CallLifecycle"/> says when). Nothing is published: Console
/// completed the contact already, and a <see cref="CallEnded"/> back would only be refused by its router.
/// </summary>
internal sealed partial class EndCallConsumer(TelephonyCommands commands, ILogger<EndCallConsumer> logger) : IConsumer<EndCall>
{
    public async Task Consume(ConsumeContext<EndCall> context)
    {
        var command = context.Message;
        var hangUp = await commands.ApplyAsync<CallEffect.HangUp>(
            nameof(EndCall),
            command.ContactId,
            new CallEvent.EndRequested(command.AdvisorId, command.At),
            command.At,
            "hang-up",
            (provider, call, _, cancellationToken) => provider.HangUpAsync(call, cancellationToken),
            context.CancellationToken);
        if (hangUp is { Result: var result })
        {
            TelephonyException.ThrowIfFailed(result);
            LogEnded(logger, command.ContactId, command.AdvisorId);
        }
    }

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
            TelephonyCommands.LogUnknownContact(logger, nameof(CallQueuePositions), contactId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue position for contact {ContactId} dropped: position must be 0 (ringing) or more and the estimate not negative")]
    private static partial void LogInvalid(ILogger logger, Guid contactId);
}

/// <summary>The provider refused or could not be reached; the message is retried.</summary>
internal sealed class TelephonyException(string message) : Exception(message)
{
    public static void ThrowIfFailed(ProviderResult result)
    {
        if (!result.Succeeded)
        {
            throw new TelephonyException(result.Detail!);
        }
    }
}
