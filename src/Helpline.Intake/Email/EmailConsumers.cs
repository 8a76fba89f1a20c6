using Helpline.Contracts;
using Helpline.Intake.Data;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helpline.Intake.Email;

/// <summary>
/// Console asks for an email to be sent (a reply or a referral): it is stored, with a Message-ID of our
/// own, and the sender takes it from there. A redelivered command (the same <c>EmailId</c>) stores nothing.
/// </summary>
internal sealed partial class SendEmailConsumer(
    IntakeDbContext db,
    EmailSendSignal signal,
    IOptions<SmtpOptions> options,
    ILogger<SendEmailConsumer> logger) : IConsumer<SendEmail>
{
    public async Task Consume(ConsumeContext<SendEmail> context)
    {
        var command = context.Message;
        if (await db.OutboundEmails.AnyAsync(e => e.Id == command.EmailId, context.CancellationToken))
        {
            LogRepeated(logger, command.EmailId);
            return;
        }

        var smtp = options.Value;
        var domain = smtp.MessageIdDomain ?? smtp.FromAddress[(smtp.FromAddress.LastIndexOf('@') + 1)..];
        db.OutboundEmails.Add(new OutboundEmail
        {
            Id = command.EmailId,
            Purpose = command.Purpose,
            ContactId = command.ContactId,
            To = command.Purpose == EmailPurpose.Referral ? command.To : null,
            EncryptedSubject = command.EncryptedSubject,
            EncryptedBody = command.EncryptedBody,
            MessageId = $"{command.EmailId:N}@{domain}",
            State = OutboundState.Pending,
            NextAttemptAt = command.RequestedAt,
            RequestedAt = command.RequestedAt,
        });
        try
        {
            await db.SaveChangesAsync(context.CancellationToken);
        }
        catch (DbUpdateException exception) when (Helpline.ServiceDefaults.PostgresErrors.IsUniqueViolation(exception))
        {
            LogRepeated(logger, command.EmailId);
            return;
        }

        signal.Notify();
        LogQueued(logger, command.EmailId, command.Purpose, command.ContactId);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Email {EmailId} ({Purpose}) for contact {ContactId} stored to send")]
    private static partial void LogQueued(ILogger logger, Guid emailId, EmailPurpose purpose, Guid contactId);

    [LoggerMessage(Level = LogLevel.Information, Message = "SendEmail {EmailId} repeated: already stored")]
    private static partial void LogRepeated(ILogger logger, Guid emailId);
}

/// <summary>A supervisor's release of a quarantined message (see <see cref="EmailIngestor.ReleaseAsync"/>).</summary>
internal sealed class ReleaseQuarantinedEmailConsumer(EmailIngestor ingestor) : IConsumer<ReleaseQuarantinedEmail>
{
    public Task Consume(ConsumeContext<ReleaseQuarantinedEmail> context) => ingestor.ReleaseAsync(context.Message.EmailId, context.CancellationToken);
}

/// <summary>A supervisor's discard of a quarantined message (see <see cref="EmailIngestor.DiscardAsync"/>).</summary>
internal sealed class DiscardQuarantinedEmailConsumer(EmailIngestor ingestor) : IConsumer<DiscardQuarantinedEmail>
{
    public Task Consume(ConsumeContext<DiscardQuarantinedEmail> context) => ingestor.DiscardAsync(context.Message.EmailId, context.CancellationToken);
}
