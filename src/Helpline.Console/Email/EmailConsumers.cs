using Helpline.Console.Contacts;
using Helpline.Console.Data;
using Helpline.Console.RouterHosting;
using Helpline.Contracts;
using Helpline.Routing;
using Helpline.ServiceDefaults;
using Helpline.ServiceDefaults.Outbox;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Helpline.Console.Email;

/// <summary>
/// A new message in a closed conversation: the router takes the conversation in again (sent to the routing
/// queue, applied by <see cref="EmailRoutingConsumer"/> on the instance that routes).
/// </summary>
internal sealed record ReopenEmailConversation
{
    public required Guid ContactId { get; init; }

    /// <summary>The advisor who closed it: offered it first whenever they have an email slot free.</summary>
    public Guid? PreferredAdvisorId { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }
}

/// <summary>
/// Keeps each inbound message of a conversation (content as Intake encrypted it) and its attachments, and
/// counts it (<see cref="ContactEventType.EmailReceived"/>) unless it is automatic. A human message in a
/// closed conversation reopens it. A redelivery (the same email id) changes nothing.
/// </summary>
internal sealed partial class EmailReceivedConsumer(ConsoleDbContext db, OutboxSignal outbox, TimeProvider time, ILogger<EmailReceivedConsumer> logger) : IConsumer<EmailReceived>
{
    public async Task Consume(ConsumeContext<EmailReceived> context)
    {
        var message = context.Message;
        var cancellationToken = context.CancellationToken;
        if (await db.EmailMessages.AnyAsync(m => m.Id == message.EmailId, cancellationToken))
        {
            return;
        }

        db.EmailMessages.Add(new ConversationMessage
        {
            Id = message.EmailId,
            ContactId = message.ContactId,
            Direction = MessageDirection.Inbound,
            Automatic = message.Automatic,
            EncryptedFrom = message.EncryptedFrom,
            EncryptedSubject = message.EncryptedSubject,
            EncryptedText = message.EncryptedText,
            EncryptedHtml = message.EncryptedHtml,
            At = message.ReceivedAt,
        });
        foreach (var attachment in message.Attachments)
        {
            db.EmailAttachments.Add(new ConversationAttachment
            {
                Id = attachment.AttachmentId,
                EmailId = message.EmailId,
                ContactId = message.ContactId,
                EncryptedFileName = attachment.EncryptedFileName,
                ContentType = attachment.ContentType,
                Size = attachment.Size,
                EncryptedContent = attachment.EncryptedContent,
            });
        }

        var reopens = false;
        if (message.Automatic is null)
        {
            db.ContactEvents.Add(new ContactEvent { ContactId = message.ContactId, Type = ContactEventType.EmailReceived, At = message.ReceivedAt });
            var contact = await db.Contacts.AsNoTracking().SingleOrDefaultAsync(c => c.Id == message.ContactId, cancellationToken);
            if (contact is { Channel: ContactChannel.Email, Status: ContactStatus.Completed })
            {
                reopens = true;
                db.OutboxMessages.Add(OutboxMessage.Send(
                    new ReopenEmailConversation { ContactId = contact.Id, PreferredAdvisorId = contact.AdvisorId, ReceivedAt = message.ReceivedAt },
                    RoutingSettings.Address,
                    time.GetUtcNow()));
            }
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.IsUniqueViolation())
        {
            return;
        }

        outbox.Notify();
        LogStored(logger, message.EmailId, message.ContactId, message.Automatic, reopens);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Email {EmailId} kept in conversation {ContactId} (automatic: {Automatic}, reopens: {Reopens})")]
    private static partial void LogStored(ILogger logger, Guid emailId, Guid contactId, AutomaticReason? automatic, bool reopens);
}

/// <summary>A quarantined message, listed for supervisors.</summary>
internal sealed class EmailQuarantinedConsumer(ConsoleDbContext db) : IConsumer<EmailQuarantined>
{
    public async Task Consume(ConsumeContext<EmailQuarantined> context)
    {
        var message = context.Message;
        if (await db.QuarantinedEmails.AnyAsync(q => q.Id == message.EmailId, context.CancellationToken))
        {
            return;
        }

        db.QuarantinedEmails.Add(new QuarantinedEmail
        {
            Id = message.EmailId,
            Reason = message.Reason,
            Size = message.Size,
            SenderKey = message.SenderKey,
            EncryptedFrom = message.EncryptedFrom,
            EncryptedSubject = message.EncryptedSubject,
            ReceivedAt = message.ReceivedAt,
            State = QuarantineState.Held,
        });
        try
        {
            await db.SaveChangesAsync(context.CancellationToken);
        }
        catch (DbUpdateException exception) when (exception.IsUniqueViolation())
        {
            // A redelivery raced the first delivery.
        }
    }
}

/// <summary>
/// Intake's outcome of a reply: accepted by the mail server (<see cref="ContactEventType.ReplySent"/>, the
/// first one the first human response) or failed (shown on the conversation; Intake retries the transient
/// ones). Referral emails are the referrals feature's, not handled here.
/// </summary>
internal sealed class ReplyOutcomeConsumer(ConsoleDbContext db) : IConsumer<EmailSent>, IConsumer<EmailSendFailed>
{
    public async Task Consume(ConsumeContext<EmailSent> context)
    {
        var message = context.Message;
        if (message.Purpose != EmailPurpose.Reply
            || await db.EmailMessages.SingleOrDefaultAsync(m => m.Id == message.EmailId, context.CancellationToken) is not { } reply
            || reply.State == ReplyState.Sent)
        {
            return;
        }

        reply.State = ReplyState.Sent;
        reply.SentAt = message.At;
        reply.Failure = null;
        reply.NextAttemptAt = null;
        db.ContactEvents.Add(new ContactEvent
        {
            ContactId = reply.ContactId,
            Type = ContactEventType.ReplySent,
            AdvisorId = reply.AdvisorId,
            WaitSeconds = message.OpenSecondsSinceFirstMessage,
            At = message.At,
        });
        await db.SaveChangesAsync(context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<EmailSendFailed> context)
    {
        var message = context.Message;
        if (message.Purpose != EmailPurpose.Reply
            || await db.EmailMessages.SingleOrDefaultAsync(m => m.Id == message.EmailId, context.CancellationToken) is not { } reply
            || reply.State == ReplyState.Sent
            || message.Attempt < reply.Attempts)
        {
            return;
        }

        reply.State = message.Permanent ? ReplyState.Failed : ReplyState.Sending;
        reply.Failure = message.Reason;
        reply.Attempts = message.Attempt;
        reply.NextAttemptAt = message.NextAttemptAt;
        await db.SaveChangesAsync(context.CancellationToken);
    }
}

/// <summary>On the routing queue: takes a closed conversation back into the router (see <see cref="ReopenEmailConversation"/>).</summary>
internal sealed partial class EmailRoutingConsumer(RouterHost router, ILogger<EmailRoutingConsumer> logger) : IConsumer<ReopenEmailConversation>
{
    public Task Consume(ConsumeContext<ReopenEmailConversation> context)
    {
        var message = context.Message;
        return router.SubmitAsync(async (batch, cancellationToken) =>
        {
            var contact = await batch.Db.Contacts.SingleOrDefaultAsync(c => c.Id == message.ContactId, cancellationToken);
            if (contact is not { Channel: ContactChannel.Email, Status: ContactStatus.Completed })
            {
                return [];
            }

            contact.Status = ContactStatus.Queued;
            contact.EndedAt = null;
            batch.Db.ContactEvents.Add(new ContactEvent { ContactId = contact.Id, Type = ContactEventType.Reopened, AdvisorId = message.PreferredAdvisorId, At = message.ReceivedAt });
            LogReopened(logger, contact.Id, message.PreferredAdvisorId);
            return [new ContactArrived(contact.Id, ContactChannel.Email) { Reopened = true, PreferredAdvisorId = message.PreferredAdvisorId, ReceivedAt = message.ReceivedAt }];
        });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Email conversation {ContactId} reopened (offered first to {AdvisorId})")]
    private static partial void LogReopened(ILogger logger, Guid contactId, Guid? advisorId);
}

/// <summary>The reopening consumer shares the routing queue (single active consumer), so it runs where the router runs.</summary>
internal sealed class EmailRoutingConsumerDefinition : ConsumerDefinition<EmailRoutingConsumer>
{
    public EmailRoutingConsumerDefinition() => EndpointName = RoutingSettings.Queue;
}
