using System.Security.Cryptography;
using Helpline.Contracts;
using Helpline.Intake.Calls;
using Helpline.Intake.Data;
using Helpline.ServiceDefaults;
using Helpline.ServiceDefaults.Outbox;
using Helpline.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helpline.Intake.Email;

/// <summary>Where a message was read: the checkpoint it moves.</summary>
internal sealed record MailboxLocation(string Mailbox, string Folder, long UidValidity, long Uid);

/// <summary>
/// Stores what the mailbox reader fetched. One message is one transaction: its row (content encrypted),
/// its conversation, its outbox messages and the folder's checkpoint commit together, so the checkpoint
/// never passes a message that is not stored, and a crash before the commit reads it again. A message
/// already stored (its <see cref="StoredEmail.MessageKey"/>) only moves the checkpoint.
/// </summary>
internal sealed partial class EmailIngestor(
    IntakeDbContext db,
    FieldEncryption encryption,
    CallerKeyHasher hasher,
    OutboxSignal outbox,
    EmailMetrics metrics,
    IOptions<EmailLimits> limits,
    IOptions<BurstOptions> burst,
    TimeProvider time,
    ILogger<EmailIngestor> logger)
{
    private const string Base32 = "abcdefghijklmnopqrstuvwxyz234567";

    /// <summary>Stores one message read from <paramref name="at"/> and moves the checkpoint to it.</summary>
    /// <param name="raw">The message (its headers only when it is over the size limit).</param>
    public async Task<IngestOutcome> IngestAsync(byte[] raw, long size, DateTimeOffset receivedAt, MailboxLocation at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(at);
        var read = EmailAnalyzer.Analyze(raw, size, limits.Value, lenient: false);
        var key = MessageKey(read);
        var checkpoint = await CheckpointAsync(at, cancellationToken);
        if (await db.EmailMessages.AnyAsync(e => e.MessageKey == key, cancellationToken))
        {
            await db.SaveChangesAsync(cancellationToken);
            return Duplicate(at);
        }

        var now = time.GetUtcNow();
        var email = new StoredEmail
        {
            Id = Guid.CreateVersion7(now),
            Direction = EmailDirection.Inbound,
            MessageKey = key,
            Size = size,
            Mailbox = at.Mailbox,
            Folder = at.Folder,
            UidValidity = at.UidValidity,
            Uid = at.Uid,
            ReceivedAt = receivedAt,
            StoredAt = now,
        };
        db.EmailMessages.Add(email);
        var outcome = read.QuarantineReason is { } reason
            ? Quarantine(email, read, raw, reason)
            : await DeliverAsync(email, read, null, cancellationToken);
        checkpoint.UpdatedAt = now;

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.IsUniqueViolation())
        {
            // Stored meanwhile by a release or another reader: this one only moves the checkpoint.
            db.ChangeTracker.Clear();
            (await CheckpointAsync(at, cancellationToken)).UpdatedAt = now;
            await db.SaveChangesAsync(cancellationToken);
            return Duplicate(at);
        }

        outbox.Notify();
        metrics.Received(outcome);
        LogStored(logger, email.Id, email.ConversationId, outcome, at.Uid);
        return outcome;
    }

    /// <summary>
    /// A supervisor released a quarantined message: it is read again leniently and delivered to its
    /// conversation. Released or discarded before, or unknown: nothing happens (a redelivered command).
    /// </summary>
    public async Task ReleaseAsync(Guid emailId, CancellationToken cancellationToken)
    {
        var email = await db.EmailMessages.SingleOrDefaultAsync(e => e.Id == emailId, cancellationToken);
        if (email is not { QuarantineReason: not null, QuarantineResolution: null, EncryptedRaw: { } encryptedRaw })
        {
            LogNotQuarantined(logger, emailId);
            return;
        }

        var raw = encryption.DecryptBytes(encryptedRaw, EmailFields.AssociatedData(email.Id, "raw"));
        var read = EmailAnalyzer.Analyze(raw, email.Size, limits.Value, lenient: true);
        await DeliverAsync(email, read, email.Id, cancellationToken);
        email.QuarantineResolution = QuarantineResolution.Released;
        email.ResolvedAt = time.GetUtcNow();
        email.EncryptedRaw = null;
        await db.SaveChangesAsync(cancellationToken);
        outbox.Notify();
        LogReleased(logger, email.Id, email.ConversationId);
    }

    /// <summary>A supervisor discarded a quarantined message: its content is erased, its record (reason, size, keys) kept.</summary>
    public async Task DiscardAsync(Guid emailId, CancellationToken cancellationToken)
    {
        var email = await db.EmailMessages.SingleOrDefaultAsync(e => e.Id == emailId, cancellationToken);
        if (email is not { QuarantineReason: not null, QuarantineResolution: null })
        {
            LogNotQuarantined(logger, emailId);
            return;
        }

        email.QuarantineResolution = QuarantineResolution.Discarded;
        email.ResolvedAt = time.GetUtcNow();
        email.EncryptedRaw = null;
        email.EncryptedFrom = null;
        email.EncryptedSubject = null;
        await db.SaveChangesAsync(cancellationToken);
        LogDiscarded(logger, email.Id);
    }

    /// <summary>The dedupe key: a keyed hash of the Message-ID, else of the stable headers (or of the raw bytes when even those are unreadable).</summary>
    private string MessageKey(ReadEmail read) =>
        read.MessageId is { } id ? ThreadKey(id) : "h:" + hasher.KeyFor(read.HeaderFingerprint);

    /// <summary>The keyed hash a Message-ID is known by (stored, looked up, never in clear).</summary>
    public string ThreadKey(string messageId) => "m:" + hasher.KeyFor("message-id:" + messageId);

    private async Task<MailboxCheckpoint> CheckpointAsync(MailboxLocation at, CancellationToken cancellationToken)
    {
        var checkpoint = await db.MailboxCheckpoints.SingleOrDefaultAsync(c => c.Mailbox == at.Mailbox && c.Folder == at.Folder, cancellationToken);
        if (checkpoint is null)
        {
            checkpoint = new MailboxCheckpoint { Mailbox = at.Mailbox, Folder = at.Folder };
            db.MailboxCheckpoints.Add(checkpoint);
        }

        checkpoint.UidValidity = at.UidValidity;
        checkpoint.LastUid = Math.Max(checkpoint.UidValidity == at.UidValidity ? checkpoint.LastUid : 0, at.Uid);
        return checkpoint;
    }

    private IngestOutcome Duplicate(MailboxLocation at)
    {
        metrics.Received(IngestOutcome.Duplicate);
        LogDuplicate(logger, at.Folder, at.Uid);
        return IngestOutcome.Duplicate;
    }

    private IngestOutcome Quarantine(StoredEmail email, ReadEmail read, byte[] raw, string reason)
    {
        email.QuarantineReason = reason[..Math.Min(reason.Length, 1000)];
        email.EncryptedRaw = encryption.EncryptBytes(raw, EmailFields.AssociatedData(email.Id, "raw"), FieldPurpose.Shared);
        email.SenderKey = read.FromAddress is { } address ? hasher.KeyFor(address) : null;
        email.EncryptedFrom = read.FromDisplay.Length > 0 ? Encrypt(email.Id, EmailFields.From, read.FromDisplay) : null;
        email.EncryptedSubject = read.Subject.Length > 0 ? Encrypt(email.Id, EmailFields.Subject, read.Subject) : null;
        db.OutboxMessages.Add(OutboxMessage.Publish(
            new EmailQuarantined
            {
                EmailId = email.Id,
                Reason = email.QuarantineReason,
                Size = email.Size,
                SenderKey = email.SenderKey,
                EncryptedFrom = email.EncryptedFrom,
                EncryptedSubject = email.EncryptedSubject,
                ReceivedAt = email.ReceivedAt,
            },
            email.StoredAt));
        return IngestOutcome.Quarantined;
    }

    /// <summary>Encrypts the content onto <paramref name="email"/>, finds or starts its conversation and stages what Console is told.</summary>
    private async Task<IngestOutcome> DeliverAsync(StoredEmail email, ReadEmail read, Guid? releasedFrom, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        email.SenderKey = hasher.KeyFor(read.FromAddress ?? $"unknown:{email.Id:N}");
        email.EncryptedFrom = Encrypt(email.Id, EmailFields.From, read.FromDisplay.Length > 0 ? read.FromDisplay : "(unknown sender)");
        email.EncryptedSubject = Encrypt(email.Id, EmailFields.Subject, read.Subject);
        email.EncryptedText = read.Text is null ? null : Encrypt(email.Id, EmailFields.Body, read.Text);
        email.EncryptedHtml = read.Html is null ? null : Encrypt(email.Id, EmailFields.Html, read.Html);
        email.EncryptedMessageId = read.MessageId is null ? null : Encrypt(email.Id, "message-id", read.MessageId);
        email.EncryptedReferences = read.References.Count == 0 ? null : Encrypt(email.Id, "references", string.Join('\n', read.References));
        email.ThreadIndex = read.ThreadIndex;
        email.Automatic = read.Automatic;
        foreach (var attachment in read.Attachments)
        {
            var id = Guid.CreateVersion7(now);
            email.Attachments.Add(new StoredAttachment
            {
                Id = id,
                EmailId = email.Id,
                EncryptedFileName = encryption.Encrypt(attachment.FileName, EmailFields.AttachmentName(email.Id, id), FieldPurpose.Shared),
                ContentType = attachment.ContentType,
                Size = attachment.Content.Length,
                EncryptedContent = encryption.EncryptBytes(attachment.Content, EmailFields.AttachmentContent(email.Id, id), FieldPurpose.Shared),
            });
        }

        var (conversation, isNew) = await ConversationOfAsync(email, read, cancellationToken);
        if (conversation is null)
        {
            return IngestOutcome.Automatic;
        }

        email.ConversationId = conversation.Id;
        conversation.LastMessageAt = email.ReceivedAt > conversation.LastMessageAt ? email.ReceivedAt : conversation.LastMessageAt;
        if (isNew)
        {
            db.OutboxMessages.Add(OutboxMessage.Publish(
                new ContactReceived
                {
                    ContactId = conversation.Id,
                    Channel = ContactChannel.Email,
                    ProviderReference = email.MessageKey,
                    CallerKey = email.SenderKey,
                    ReceivedAt = email.ReceivedAt,
                },
                now));
        }

        db.OutboxMessages.Add(OutboxMessage.Publish(
            new EmailReceived
            {
                EmailId = email.Id,
                ContactId = conversation.Id,
                NewConversation = isNew,
                Automatic = email.Automatic,
                ReleasedFromQuarantine = releasedFrom,
                SenderKey = email.SenderKey!,
                EncryptedFrom = email.EncryptedFrom,
                EncryptedSubject = email.EncryptedSubject,
                EncryptedText = email.EncryptedText,
                EncryptedHtml = email.EncryptedHtml,
                Attachments = email.Attachments.ConvertAll(a => new EmailAttachment
                {
                    AttachmentId = a.Id,
                    EncryptedFileName = a.EncryptedFileName,
                    ContentType = a.ContentType,
                    Size = a.Size,
                    EncryptedContent = a.EncryptedContent,
                }),
                ReceivedAt = email.ReceivedAt,
            },
            now));
        return email.Automatic is null ? IngestOutcome.Conversation : IngestOutcome.Automatic;
    }

    /// <summary>
    /// The conversation a message belongs to: the one holding a message it answers (In-Reply-To,
    /// References, a report's original), else the one whose token it carries (subject or reply address
    /// tag), else — for a sender who has started <see cref="BurstOptions.MaxConversations"/> in the
    /// burst window — that sender's latest, else a new one. An automatic message starts none.
    /// </summary>
    private async Task<(EmailConversation? Conversation, bool IsNew)> ConversationOfAsync(StoredEmail email, ReadEmail read, CancellationToken cancellationToken)
    {
        if (read.ThreadIds.Count > 0)
        {
            var keys = read.ThreadIds.Select(ThreadKey).ToArray();
            var threaded = await db.EmailMessages
                .Where(e => keys.Contains(e.MessageKey) && e.ConversationId != null)
                .OrderByDescending(e => e.ReceivedAt)
                .Select(e => e.ConversationId)
                .FirstOrDefaultAsync(cancellationToken);
            if (threaded is { } threadedId)
            {
                return (await db.EmailConversations.SingleAsync(c => c.Id == threadedId, cancellationToken), false);
            }
        }

        if (read.Tokens.Count > 0)
        {
            var tokens = read.Tokens.ToArray();
            var tokened = await db.EmailConversations.FirstOrDefaultAsync(c => tokens.Contains(c.Token), cancellationToken);
            if (tokened is not null)
            {
                return (tokened, false);
            }
        }

        if (email.Automatic is not null)
        {
            return (null, false);
        }

        var since = email.ReceivedAt - burst.Value.Window;
        var recent = await db.EmailConversations
            .Where(c => c.SenderKey == email.SenderKey && c.CreatedAt > since)
            .OrderByDescending(c => c.CreatedAt)
            .Take(burst.Value.MaxConversations)
            .ToListAsync(cancellationToken);
        if (recent.Count >= burst.Value.MaxConversations)
        {
            LogBurst(logger, recent[0].Id);
            return (recent[0], false);
        }

        var conversation = new EmailConversation
        {
            Id = Guid.CreateVersion7(email.StoredAt),
            Token = NewToken(),
            SenderKey = email.SenderKey!,
            CreatedAt = email.ReceivedAt,
            LastMessageAt = email.ReceivedAt,
        };
        db.EmailConversations.Add(conversation);
        return (conversation, true);
    }

    private string Encrypt(Guid emailId, string field, string value) => encryption.Encrypt(value, EmailFields.AssociatedData(emailId, field), FieldPurpose.Shared);

    /// <summary>10 base32 characters from a CSPRNG: not guessable, short enough for a subject.</summary>
    public static string NewToken()
    {
        Span<byte> bytes = stackalloc byte[10];
        RandomNumberGenerator.Fill(bytes);
        var chars = new char[10];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Base32[bytes[i] & 31];
        }

        return new string(chars);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Email {EmailId} stored (conversation {ConversationId}, {Outcome}, uid {Uid})")]
    private static partial void LogStored(ILogger logger, Guid emailId, Guid? conversationId, IngestOutcome outcome, long uid);

    [LoggerMessage(Level = LogLevel.Information, Message = "Message at uid {Uid} in {Folder} was stored before; checkpoint moved")]
    private static partial void LogDuplicate(ILogger logger, string folder, long uid);

    [LoggerMessage(Level = LogLevel.Information, Message = "A burst from one sender joins conversation {ConversationId}")]
    private static partial void LogBurst(ILogger logger, Guid conversationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Quarantined email {EmailId} released to conversation {ConversationId}")]
    private static partial void LogReleased(ILogger logger, Guid emailId, Guid? conversationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Quarantined email {EmailId} discarded")]
    private static partial void LogDiscarded(ILogger logger, Guid emailId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Release or discard of email {EmailId} ignored: it is not in quarantine")]
    private static partial void LogNotQuarantined(ILogger logger, Guid emailId);
}
