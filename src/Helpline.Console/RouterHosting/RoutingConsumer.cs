using System.Linq.Expressions;
using Helpline.Console.Contacts;
using Helpline.Console.Data;
using Helpline.Contracts;
using Helpline.Routing;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Helpline.Console.RouterHosting;

/// <summary>
/// The consumer of the routing queue (single active consumer): every routing input — contacts from
/// Intake, call events, advisors' commands, the router's ticks — is submitted to the
/// <see cref="RouterHost"/> of the instance that currently holds the queue, in the order delivered,
/// and acknowledged once the transition that applied it is committed. Several messages are in
/// flight at once so that the router can commit them together.
/// </summary>
internal sealed partial class RoutingConsumer(
    ConsoleDbContext db,
    RouterHost router,
    AdvisorCommandHandler commands,
    ConsoleMetrics metrics,
    RoutingMetrics routingMetrics,
    TimeProvider time,
    ILogger<RoutingConsumer> logger) :
    IConsumer<ContactReceived>,
    IConsumer<CallNotQueued>,
    IConsumer<CallerHungUp>,
    IConsumer<CallConnected>,
    IConsumer<CallConnectFailed>,
    IConsumer<CallEnded>,
    IConsumer<CallbackRequested>,
    IConsumer<AdvisorCommandRequest>,
    IConsumer<RoutingTick>
{
    /// <summary>
    /// A new call or email. Whether it was taken in before is looked up here, beside the router's loop
    /// rather than in it; the loop then only checks what it knows itself (the contacts it routes or
    /// routed lately, and those staged in the same transition), which also covers a redelivery that
    /// overtook the first delivery's commit.
    /// </summary>
    public async Task Consume(ConsumeContext<ContactReceived> context)
    {
        var message = context.Message;
        var takenIn = await db.Contacts.AnyAsync(c => c.Id == message.ContactId, context.CancellationToken);
        await router.SubmitAsync((batch, _) => Task.FromResult<IReadOnlyList<RoutingEvent>>(
            !takenIn && batch.State.StateOf(message.ContactId) is null
            && TakeIn(batch.Db, message.ContactId, message.Channel, message.ProviderReference, message.CallerKey, message.ReceivedAt, ContactStatus.Queued)
                ? [new ContactArrived(message.ContactId, message.Channel) { ReceivedAt = message.ReceivedAt }]
                : Redelivered(message.ContactId)));
    }

    /// <summary>
    /// A call recorded out of hours: kept for the reports. The router has nothing to decide, but the
    /// row is written in its loop, so redeliveries in flight together see each other.
    /// </summary>
    public async Task Consume(ConsumeContext<CallNotQueued> context)
    {
        var message = context.Message;
        var takenIn = false;
        await router.SubmitAsync(async (batch, cancellationToken) =>
        {
            if (!await batch.Db.Contacts.AnyAsync(c => c.Id == message.ContactId, cancellationToken)
                && TakeIn(batch.Db, message.ContactId, ContactChannel.Call, message.ProviderReference, message.CallerKey, message.ReceivedAt, ContactStatus.OutOfHours))
            {
                batch.Db.Contacts.Local.Single(c => c.Id == message.ContactId).EndedAt = message.ReceivedAt;
                batch.Db.ContactEvents.Add(new ContactEvent { ContactId = message.ContactId, Type = ContactEventType.Ended, Outcome = message.Reason.ToString(), WaitSeconds = 0, At = message.ReceivedAt });
                takenIn = true;
                return [];
            }

            takenIn = false;
            return Redelivered(message.ContactId);
        });
        if (takenIn)
        {
            routingMetrics.Unanswered("out_of_hours");
        }
    }

    /// <summary>
    /// Stages a new contact and its Received event on <paramref name="target"/>; false (and nothing
    /// staged) when it is already staged in the same transition (a redelivery in flight with it).
    /// </summary>
    private bool TakeIn(ConsoleDbContext target, Guid contactId, ContactChannel channel, string providerReference, string? callerKey, DateTimeOffset receivedAt, ContactStatus status)
    {
        if (target.Contacts.Local.Any(c => c.Id == contactId))
        {
            return false;
        }

        target.Contacts.Add(new Contact
        {
            Id = contactId,
            Channel = channel,
            ProviderReference = providerReference,
            CallerKey = callerKey,
            ReceivedAt = receivedAt,
            QueuedAt = time.GetUtcNow(),
            Status = status,
        });
        target.ContactEvents.Add(new ContactEvent { ContactId = contactId, Type = ContactEventType.Received, At = receivedAt });
        metrics.ContactReceived(channel);
        return true;
    }

    private IReadOnlyList<RoutingEvent> Redelivered(Guid contactId)
    {
        metrics.ContactRedelivered();
        LogRedelivered(logger, contactId);
        return [];
    }

    /// <summary>
    /// The caller hung up before an answer (Intake recorded it Abandoned). Intake's word is kept on the
    /// contact's history (<see cref="ContactEventType.CallerHungUp"/>, with whether it was a short abandon)
    /// in the transition that applies it, while the router still holds the contact; a redelivery finds it
    /// ended and adds nothing.
    /// </summary>
    public async Task Consume(ConsumeContext<CallerHungUp> context)
    {
        var message = context.Message;
        var contactId = message.ContactId;
        var recorded = false;
        var decisions = await router.SubmitAsync((batch, _) =>
        {
            recorded = batch.State.StateOf(contactId) is ContactState.Waiting or ContactState.Offered or ContactState.Assigned;
            if (recorded)
            {
                batch.Db.ContactEvents.Add(new ContactEvent
                {
                    ContactId = contactId,
                    Type = ContactEventType.CallerHungUp,
                    Reason = message.ShortAbandon ? ShortAbandonReason : null,
                    At = message.At,
                });
            }

            return Task.FromResult<IReadOnlyList<RoutingEvent>>([new HungUp(contactId)]);
        });
        if (recorded)
        {
            routingMetrics.Unanswered(message.ShortAbandon ? "short_abandon" : "abandoned");
        }

        // Messages in flight together may reach the router out of step: a hang-up that overtook its
        // own call's ContactReceived is retried (MassTransit retry) until the call has been taken in.
        if (decisions is [Rejected { Code: RejectionCode.UnknownContact }] && !await db.Contacts.AnyAsync(c => c.Id == contactId, context.CancellationToken))
        {
            throw new ContactNotTakenInException(contactId);
        }
    }

    /// <summary>
    /// The call was bridged to the advisor: kept on the contact's history, once (a redelivery has the same
    /// advisor and time; a call answered again after a failed connection is a new answer).
    /// </summary>
    public async Task Consume(ConsumeContext<CallConnected> context)
    {
        var message = context.Message;
        var repeated = await AppendOnceAsync(
            new ContactEvent { ContactId = message.ContactId, Type = ContactEventType.Answered, AdvisorId = message.AdvisorId, At = message.At },
            e => e.ContactId == message.ContactId && e.Type == ContactEventType.Answered && e.AdvisorId == message.AdvisorId && e.At == message.At);
        metrics.CallConnected(repeated);
        if (!repeated)
        {
            routingMetrics.Answered(ContactChannel.Call);
        }
    }

    public Task Consume(ConsumeContext<CallConnectFailed> context)
    {
        return ApplyAsync(new ConnectFailed(context.Message.ContactId, context.Message.Detail));
    }

    public Task Consume(ConsumeContext<CallEnded> context)
    {
        return ApplyAsync(new ContactCompleted(context.Message.ContactId));
    }

    /// <summary>A caller turned away asked to be called back: kept on the contact's history for reports and supervisors, once.</summary>
    public async Task Consume(ConsumeContext<CallbackRequested> context)
    {
        var message = context.Message;
        var repeated = await AppendOnceAsync(
            new ContactEvent { ContactId = message.ContactId, Type = ContactEventType.CallbackRequested, At = message.RequestedAt },
            e => e.ContactId == message.ContactId && e.Type == ContactEventType.CallbackRequested);
        metrics.CallbackRequested(repeated);
    }

    /// <summary>
    /// Appends <paramref name="added"/> unless an event that is <paramref name="same"/> is committed or staged
    /// in the same transition: written in the router's loop, so redeliveries in flight together see each
    /// other. True when it was there already.
    /// </summary>
    private async Task<bool> AppendOnceAsync(ContactEvent added, Expression<Func<ContactEvent, bool>> same)
    {
        var staged = same.Compile();
        var repeated = false;
        await router.SubmitAsync(async (batch, cancellationToken) =>
        {
            var events = batch.Db.ContactEvents;
            repeated = events.Local.Any(staged) || await events.AnyAsync(same, cancellationToken);
            if (!repeated)
            {
                events.Add(added);
            }

            return [];
        });
        return repeated;
    }

    public Task Consume(ConsumeContext<RoutingTick> context)
    {
        return ApplyAsync(Tick.Instance);
    }

    /// <summary>An advisor's command from an instance that is not routing; see <see cref="AdvisorCommands"/>.</summary>
    public async Task Consume(ConsumeContext<AdvisorCommandRequest> context) =>
        await context.RespondAsync(await commands.HandleAsync(context.Message.Command, onlyIfRouting: false, context.CancellationToken));

    private Task<IReadOnlyList<RoutingDecision>> ApplyAsync(RoutingEvent routingEvent) =>
        router.SubmitAsync((_, _) => Task.FromResult<IReadOnlyList<RoutingEvent>>([routingEvent]));

    /// <summary>The reason of a <see cref="ContactEventType.CallerHungUp"/> within Intake's short-abandon threshold.</summary>
    public const string ShortAbandonReason = "ShortAbandon";

    [LoggerMessage(Level = LogLevel.Information, Message = "Contact {ContactId} was already taken in; redelivery ignored")]
    private static partial void LogRedelivered(ILogger logger, Guid contactId);
}

/// <summary>
/// The routing queue: single active consumer (one instance routes, another takes over when it goes),
/// up to <see cref="RoutingSettings.MaxBatch"/> messages in flight for the router to commit together,
/// and a retry that covers a stale state (another instance routed meanwhile).
/// </summary>
internal sealed class RoutingConsumerDefinition : ConsumerDefinition<RoutingConsumer>
{
    public RoutingConsumerDefinition()
    {
        EndpointName = RoutingSettings.Queue;
        ConcurrentMessageLimit = InFlight;
    }

    /// <summary>Messages delivered and not yet acknowledged: what the router can take into one transition.</summary>
    private const int InFlight = 64;

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<RoutingConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.SingleActiveConsumer = true;
            rabbit.PrefetchCount = InFlight;
        }

        endpointConfigurator.UseMessageRetry(retry => retry.Incremental(5, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(300)));
    }
}

/// <summary>An event about a contact the router has not taken in yet; the message is retried.</summary>
internal sealed class ContactNotTakenInException(Guid contactId) : Exception($"Contact {contactId} has not been taken in yet.");
