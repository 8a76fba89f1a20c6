using System.Diagnostics;
using Helpline.Console.Advisors;
using Helpline.Console.Data;
using Helpline.Contracts;
using Helpline.ServiceDefaults;
using MassTransit;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace Helpline.Console.Contacts;

/// <summary>
/// Takes in a contact from Intake: stores it once (a redelivered message finds the row and does
/// nothing more), then offers it to the connected advisors.
/// </summary>
public sealed partial class ContactReceivedConsumer(
    ConsoleDbContext db,
    IHubContext<AdvisorHub, IAdvisorClient> advisors,
    ConsoleMetrics metrics,
    TimeProvider time,
    ILogger<ContactReceivedConsumer> logger) : IConsumer<ContactReceived>
{
    public async Task Consume(ConsumeContext<ContactReceived> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var message = context.Message;
        var contact = new Contact
        {
            Id = message.ContactId,
            Channel = message.Channel,
            ProviderReference = message.ProviderReference,
            CallerKey = message.CallerKey,
            ReceivedAt = message.ReceivedAt,
            QueuedAt = time.GetUtcNow(),
        };
        db.Contacts.Add(contact);
        try
        {
            await db.SaveChangesAsync(context.CancellationToken);
        }
        catch (DbUpdateException exception) when (exception.IsUniqueViolation())
        {
            metrics.ContactRedelivered();
            LogRedelivered(logger, message.ContactId);
            return;
        }

        metrics.ContactReceived(message.Channel);
        using var activity = ConsoleTelemetry.Source.StartActivity("signalr send ContactOffered", ActivityKind.Producer);
        activity?.SetTag("helpline.contact.id", contact.Id);
        await advisors.Clients.All.ContactOffered(new ContactOffered(
            OfferId: Guid.CreateVersion7(time.GetUtcNow()),
            ContactId: contact.Id,
            Channel: contact.Channel,
            ReceivedAt: contact.ReceivedAt,
            Withheld: contact.CallerKey is null));
        LogOffered(logger, contact.Id);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Contact {ContactId} was already stored; redelivery ignored")]
    private static partial void LogRedelivered(ILogger logger, Guid contactId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Contact {ContactId} offered to advisors")]
    private static partial void LogOffered(ILogger logger, Guid contactId);
}

/// <summary>Retries a failing consume a few times before the message goes to the error queue.</summary>
public sealed class ContactReceivedConsumerDefinition : ConsumerDefinition<ContactReceivedConsumer>
{
    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ContactReceivedConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        ArgumentNullException.ThrowIfNull(endpointConfigurator);
        endpointConfigurator.UseMessageRetry(retry => retry.Incremental(5, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(500)));
    }
}
