using Helpline.Console.Advisors;
using Helpline.Console.Contacts;
using Helpline.Console.Data;
using Helpline.Contracts;
using Helpline.Routing;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using R = Helpline.Routing;

namespace Helpline.Console.Routing;

/// <summary>
/// The one consumer of the routing queue (single active consumer, one message at a time): every
/// routing input — contacts from Intake, call events, advisors' commands, the router's ticks — is
/// applied here, in queue order, by the instance that currently holds the queue.
/// </summary>
public sealed partial class RoutingConsumer(
    ConsoleDbContext db,
    RouterHost router,
    ConsoleMetrics metrics,
    TimeProvider time,
    ILogger<RoutingConsumer> logger) :
    IConsumer<ContactReceived>,
    IConsumer<CallNotQueued>,
    IConsumer<Contracts.CallerHungUp>,
    IConsumer<CallConnected>,
    IConsumer<CallConnectFailed>,
    IConsumer<CallEnded>,
    IConsumer<AdvisorCommand>,
    IConsumer<RoutingTick>
{
    public async Task Consume(ConsumeContext<ContactReceived> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var message = context.Message;
        if (!await TakeInAsync(message.ContactId, message.Channel, message.ProviderReference, message.CallerKey, message.ReceivedAt, ContactStatus.Queued, context.CancellationToken))
        {
            return;
        }

        await router.ApplyAsync(db, [new ContactArrived(message.ContactId, (ChannelKind)message.Channel) { ReceivedAt = message.ReceivedAt }], context.CancellationToken);
    }

    /// <summary>A call recorded out of hours: kept for the reports, with no router involved.</summary>
    public async Task Consume(ConsumeContext<CallNotQueued> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var message = context.Message;
        if (!await TakeInAsync(message.ContactId, ContactChannel.Call, message.ProviderReference, message.CallerKey, message.ReceivedAt, ContactStatus.OutOfHours, context.CancellationToken))
        {
            return;
        }

        db.Contacts.Local.Single(c => c.Id == message.ContactId).EndedAt = message.ReceivedAt;
        db.ContactEvents.Add(new ContactEvent { ContactId = message.ContactId, Type = "Ended", Outcome = message.Reason.ToString(), WaitSeconds = 0, At = message.ReceivedAt });
        await db.SaveChangesAsync(context.CancellationToken);
    }

    /// <summary>Stages a new contact and its Received event; false (and nothing staged) when a redelivery finds it already taken in.</summary>
    private async Task<bool> TakeInAsync(Guid contactId, ContactChannel channel, string providerReference, string? callerKey, DateTimeOffset receivedAt, ContactStatus status, CancellationToken cancellationToken)
    {
        if (await db.Contacts.AnyAsync(c => c.Id == contactId, cancellationToken))
        {
            metrics.ContactRedelivered();
            LogRedelivered(logger, contactId);
            return false;
        }

        db.Contacts.Add(new Contact
        {
            Id = contactId,
            Channel = channel,
            ProviderReference = providerReference,
            CallerKey = callerKey,
            ReceivedAt = receivedAt,
            QueuedAt = time.GetUtcNow(),
            Status = status,
        });
        db.ContactEvents.Add(new ContactEvent { ContactId = contactId, Type = "Received", At = receivedAt });
        metrics.ContactReceived(channel);
        return true;
    }

    public Task Consume(ConsumeContext<Contracts.CallerHungUp> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ApplyAsync(new R.CallerHungUp(context.Message.ContactId), context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<CallConnected> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        db.ContactEvents.Add(new ContactEvent { ContactId = context.Message.ContactId, Type = "Answered", AdvisorId = context.Message.AdvisorId, At = context.Message.At });
        await db.SaveChangesAsync(context.CancellationToken);
    }

    public Task Consume(ConsumeContext<CallConnectFailed> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ApplyAsync(new ConnectFailed(context.Message.ContactId, context.Message.Detail), context.CancellationToken);
    }

    public Task Consume(ConsumeContext<CallEnded> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ApplyAsync(new ContactCompleted(context.Message.ContactId), context.CancellationToken);
    }

    public Task Consume(ConsumeContext<RoutingTick> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ApplyAsync(Tick.Instance, context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<AdvisorCommand> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var command = context.Message;
        var refusal = await RefusalAsync(command, context.CancellationToken);
        if (refusal is not null)
        {
            await context.RespondAsync(refusal);
            return;
        }

        var events = new List<RoutingEvent>(2);
        if (command.Kind == AdvisorCommandKind.Configure || !await router.KnowsAdvisorAsync(db, command.AdvisorId, context.CancellationToken))
        {
            var advisor = await db.Advisors.AsNoTracking().SingleAsync(a => a.Id == command.AdvisorId, context.CancellationToken);
            events.Add(new AdvisorConfigured(advisor.Id, advisor.Skills, advisor.EmailCapacity));
        }

        if (command.Kind == AdvisorCommandKind.Configure)
        {
            await router.ApplyAsync(db, events, context.CancellationToken);
            await context.RespondAsync(new AdvisorCommandResult { Applied = true });
            return;
        }

        events.Add(command.Kind switch
        {
            AdvisorCommandKind.SetStatus => new AdvisorStatusRequested(command.AdvisorId, command.Status!.Value, command.Reason),
            AdvisorCommandKind.AcceptOffer => new OfferAccepted(command.OfferId!.Value, command.AdvisorId),
            AdvisorCommandKind.DeclineOffer => new OfferDeclined(command.OfferId!.Value, command.AdvisorId),
            AdvisorCommandKind.ExtendWrapUp => new WrapUpExtended(command.AdvisorId),
            AdvisorCommandKind.EndWrapUp => new WrapUpEnded(command.AdvisorId),
            _ => new ContactCompleted(command.ContactId!.Value),
        });

        var decisions = await router.ApplyAsync(db, events, context.CancellationToken);
        var rejected = decisions.OfType<Rejected>().FirstOrDefault(r => ReferenceEquals(r.Event, events[^1]));
        await context.RespondAsync(rejected is null
            ? new AdvisorCommandResult { Applied = true }
            : new AdvisorCommandResult { Applied = false, Code = rejected.Code.ToString(), Message = rejected.Message });
    }

    /// <summary>What the router cannot judge: an unknown advisor, a command missing its argument, another advisor's contact.</summary>
    private async Task<AdvisorCommandResult?> RefusalAsync(AdvisorCommand command, CancellationToken cancellationToken)
    {
        if (!await db.Advisors.AnyAsync(a => a.Id == command.AdvisorId, cancellationToken))
        {
            return Refuse(RejectionCode.UnknownAdvisor, "No such advisor.");
        }

        return command.Kind switch
        {
            AdvisorCommandKind.SetStatus when command.Status is null => Refuse(RejectionCode.InvalidStatus, "A status is required."),
            AdvisorCommandKind.AcceptOffer or AdvisorCommandKind.DeclineOffer when command.OfferId is null => Refuse(RejectionCode.UnknownOffer, "An offer id is required."),
            AdvisorCommandKind.CompleteContact when !await db.Contacts.AnyAsync(
                c => c.Id == command.ContactId && c.AdvisorId == command.AdvisorId && c.Status == ContactStatus.Assigned, cancellationToken)
                => Refuse(RejectionCode.ContactNotAssigned, "That contact is not assigned to you."),
            _ => null,
        };
    }

    private static AdvisorCommandResult Refuse(RejectionCode code, string message) =>
        new() { Applied = false, Code = code.ToString(), Message = message };

    private async Task ApplyAsync(RoutingEvent routingEvent, CancellationToken cancellationToken) =>
        await router.ApplyAsync(db, [routingEvent], cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Contact {ContactId} was already taken in; redelivery ignored")]
    private static partial void LogRedelivered(ILogger logger, Guid contactId);
}

/// <summary>
/// The routing queue: single active consumer (one instance routes, another takes over when it goes),
/// one message at a time, and a retry that covers a stale state (another instance routed meanwhile).
/// </summary>
public sealed class RoutingConsumerDefinition : ConsumerDefinition<RoutingConsumer>
{
    public RoutingConsumerDefinition()
    {
        EndpointName = RoutingSettings.Queue;
        ConcurrentMessageLimit = 1;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<RoutingConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        ArgumentNullException.ThrowIfNull(endpointConfigurator);
        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.SingleActiveConsumer = true;
            rabbit.PrefetchCount = 32;
        }

        endpointConfigurator.UseMessageRetry(retry => retry.Incremental(5, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(300)));
    }
}
