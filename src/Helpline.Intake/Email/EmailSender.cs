using System.Net.Sockets;
using Helpline.Contracts;
using Helpline.Intake.Data;
using Helpline.ServiceDefaults.Outbox;
using Helpline.ServiceDefaults.Security;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Helpline.Intake.Email;

/// <summary>Wakes the sender when a new email is stored, so it does not wait for its next poll.</summary>
internal sealed class EmailSendSignal : IDisposable
{
    private readonly SemaphoreSlim _pending = new(0, 1);

    public void Notify()
    {
        if (_pending.CurrentCount == 0)
        {
            try
            {
                _pending.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled.
            }
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _pending.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _pending.Dispose();
}

/// <summary>
/// Sends the stored emails that are due, one at a time: the row is locked (<c>FOR UPDATE SKIP LOCKED</c>,
/// so replicas share the work), sent over SMTP with MailKit, and its outcome — <see cref="EmailSent"/> or
/// <see cref="EmailSendFailed"/> — committed with it through the outbox. A transient failure (network,
/// 4xx) is retried with a doubling wait up to <see cref="SmtpOptions.MaxAttempts"/>; a refusal (5xx) ends it
/// at once. A crash between the server's acceptance and the commit sends it again with the same Message-ID.
/// </summary>
internal sealed partial class EmailSender(
    IServiceScopeFactory scopes,
    EmailSendSignal signal,
    IOptions<SmtpOptions> options,
    EmailMetrics metrics,
    TimeProvider time,
    ILogger<EmailSender> logger) : BackgroundService
{
    private readonly SmtpOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pause = TimeSpan.Zero;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await SendNextAsync(stoppingToken))
                {
                }

                pause = TimeSpan.Zero;
                await signal.WaitAsync(_options.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // The database is unreachable: wait it out, the emails stay due.
                pause = pause == TimeSpan.Zero ? TimeSpan.FromMilliseconds(500) : TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
                LogSenderFailed(logger, exception.GetType().Name, pause);
                await Task.Delay(pause, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <returns>Whether an email was due (sent or not).</returns>
    private async Task<bool> SendNextAsync(CancellationToken stoppingToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IntakeDbContext>();
        var composer = scope.ServiceProvider.GetRequiredService<EmailComposer>();
        await using var transaction = await db.Database.BeginTransactionAsync(stoppingToken);
        var now = time.GetUtcNow();
        var email = await db.OutboundEmails
            .FromSql($"SELECT * FROM intake.outbound_emails WHERE state = 'Pending' AND next_attempt_at <= {now} ORDER BY next_attempt_at LIMIT 1 FOR UPDATE SKIP LOCKED")
            .SingleOrDefaultAsync(stoppingToken);
        if (email is null)
        {
            return false;
        }

        email.Attempts++;
        ComposedEmail composed;
        try
        {
            composed = await composer.ComposeAsync(email, stoppingToken);
        }
        catch (Exception exception) when (exception is System.Security.Cryptography.CryptographicException or FormatException)
        {
            // Never a poison loop: an email that cannot be read is a permanent failure, reported.
            composed = new ComposedEmail(null, "The email's content could not be decrypted.", null);
        }

        var failure = composed.Message is null ? new SendFailure(true, composed.Problem!) : await TrySendAsync(composed.Message, stoppingToken);
        var done = time.GetUtcNow();
        if (failure is null)
        {
            email.State = OutboundState.Sent;
            email.SentAt = done;
            email.LastError = null;
            composer.RecordSent(email, composed, done);
            var openTime = email.Purpose == EmailPurpose.Reply
                ? await scope.ServiceProvider.GetRequiredService<ReplyOpenTime>().SinceFirstMessageAsync(email.ContactId, done, stoppingToken)
                : null;
            db.OutboxMessages.Add(OutboxMessage.Publish(
                new EmailSent
                {
                    EmailId = email.Id,
                    ContactId = email.ContactId,
                    Purpose = email.Purpose,
                    MessageId = email.MessageId,
                    At = done,
                    OpenSecondsSinceFirstMessage = openTime?.TotalSeconds,
                },
                done));
            metrics.SendAttempt(email.Purpose, "sent");
            LogSent(logger, email.Id, email.Purpose, email.Attempts);
        }
        else
        {
            var permanent = failure.Permanent || email.Attempts >= _options.MaxAttempts;
            email.LastError = failure.Reason;
            email.State = permanent ? OutboundState.Failed : OutboundState.Pending;
            email.NextAttemptAt = permanent ? email.NextAttemptAt : done + Backoff(email.Attempts);
            db.OutboxMessages.Add(OutboxMessage.Publish(
                new EmailSendFailed
                {
                    EmailId = email.Id,
                    ContactId = email.ContactId,
                    Purpose = email.Purpose,
                    Permanent = permanent,
                    Reason = failure.Reason,
                    Attempt = email.Attempts,
                    NextAttemptAt = permanent ? null : email.NextAttemptAt,
                    At = done,
                },
                done));
            metrics.SendAttempt(email.Purpose, permanent ? "failed" : "retry");
            LogSendFailed(logger, email.Id, email.Attempts, failure.Reason, permanent);
        }

        await db.SaveChangesAsync(stoppingToken);
        await transaction.CommitAsync(stoppingToken);
        scope.ServiceProvider.GetRequiredService<OutboxSignal>().Notify();
        return true;
    }

    /// <summary>The wait after the <paramref name="attempt"/>th failure: the first delay, doubling, capped.</summary>
    internal TimeSpan Backoff(int attempt)
    {
        var ticks = _options.FirstRetryDelay.Ticks * Math.Pow(2, Math.Min(attempt - 1, 30));
        return ticks >= _options.MaxRetryDelay.Ticks ? _options.MaxRetryDelay : TimeSpan.FromTicks((long)ticks);
    }

    private async Task<SendFailure?> TrySendAsync(MimeMessage message, CancellationToken stoppingToken)
    {
        using var client = new SmtpClient();
        try
        {
            await MailConnections.ConnectAsync(client, _options, stoppingToken);
            await client.SendAsync(message, stoppingToken);
            await client.DisconnectAsync(quit: true, stoppingToken);
            return null;
        }
        catch (SmtpCommandException exception)
        {
            // The server's status, never its text (which may quote the recipient).
            var code = (int)exception.StatusCode;
            return new SendFailure(code >= 500, $"The mail server answered {code} ({exception.ErrorCode}).");
        }
        catch (AuthenticationException)
        {
            return new SendFailure(false, "The mail server refused the helpline's sign-in.");
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            // Network, TLS, protocol, timeout: all worth another attempt, none a reason to stop the sender.
            var detail = exception is SocketException socket ? socket.SocketErrorCode.ToString() : exception.GetType().Name;
            return new SendFailure(false, $"The mail server could not be reached ({detail}).");
        }
    }

    private sealed record SendFailure(bool Permanent, string Reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Email {EmailId} ({Purpose}) sent at attempt {Attempt}")]
    private static partial void LogSent(ILogger logger, Guid emailId, EmailPurpose purpose, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Email {EmailId} attempt {Attempt} failed: {Reason} (permanent: {Permanent})")]
    private static partial void LogSendFailed(ILogger logger, Guid emailId, int attempt, string reason, bool permanent);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Email sender failed ({ExceptionType}); trying again in {Pause}")]
    private static partial void LogSenderFailed(ILogger logger, string exceptionType, TimeSpan pause);
}

/// <summary>An email ready to go, or why it cannot be made (a permanent failure).</summary>
internal sealed record ComposedEmail(MimeMessage? Message, string? Problem, StoredEmail? RepliedTo);

/// <summary>
/// Builds the MIME message of a stored email: From the helpline, a Message-ID of our own domain; for a
/// reply, To the conversation's latest human sender, <c>In-Reply-To</c> and <c>References</c> continuing
/// their message, Outlook's <c>Thread-Index</c>, the conversation token in the subject and (by default)
/// in a tagged <c>Reply-To</c>.
/// </summary>
internal sealed class EmailComposer(IntakeDbContext db, FieldEncryption encryption, EmailIngestor ingestor, IOptions<SmtpOptions> options, TimeProvider time)
{
    private readonly SmtpOptions _options = options.Value;

    public async Task<ComposedEmail> ComposeAsync(OutboundEmail email, CancellationToken cancellationToken)
    {
        var message = new MimeMessage { MessageId = email.MessageId };
        message.From.Add(new MailboxAddress(_options.FromName, _options.FromAddress));
        var subject = encryption.Decrypt(email.EncryptedSubject, EmailFields.AssociatedData(email.Id, EmailFields.Subject));
        message.Body = new TextPart(MimeKit.Text.TextFormat.Plain) { Text = encryption.Decrypt(email.EncryptedBody, EmailFields.AssociatedData(email.Id, EmailFields.Body)) };
        message.Date = time.GetUtcNow();
        if (email.Purpose == EmailPurpose.Referral)
        {
            if (!MailboxAddress.TryParse(email.To ?? "", out var to))
            {
                return new ComposedEmail(null, "The referral has no valid recipient address.", null);
            }

            message.To.Add(to);
            message.Subject = subject;
            return new ComposedEmail(message, null, null);
        }

        var conversation = await db.EmailConversations.AsNoTracking().SingleOrDefaultAsync(c => c.Id == email.ContactId, cancellationToken);
        var last = await db.EmailMessages.AsNoTracking()
            .Where(e => e.ConversationId == email.ContactId && e.Direction == EmailDirection.Inbound && e.Automatic == null && e.EncryptedFrom != null)
            .OrderByDescending(e => e.ReceivedAt)
            .FirstOrDefaultAsync(cancellationToken);
        if (conversation is null || last is null
            || !MailboxAddress.TryParse(encryption.Decrypt(last.EncryptedFrom!, EmailFields.AssociatedData(last.Id, EmailFields.From)), out var sender)
            || sender is not MailboxAddress { Address.Length: > 0 })
        {
            return new ComposedEmail(null, "The conversation has no sender address to reply to.", null);
        }

        message.To.Add(sender);
        var marker = EmailAnalyzer.SubjectMarker(conversation.Token);
        message.Subject = subject.Contains(marker, StringComparison.OrdinalIgnoreCase) ? subject : $"{subject} {marker}".Trim();
        if (_options.TagReplyAddress)
        {
            var at = _options.FromAddress.LastIndexOf('@');
            message.ReplyTo.Add(new MailboxAddress(_options.FromName, $"{_options.FromAddress[..at]}+{conversation.Token}{_options.FromAddress[at..]}"));
        }

        if (last.EncryptedMessageId is { } encryptedId)
        {
            var inReplyTo = encryption.Decrypt(encryptedId, EmailFields.AssociatedData(last.Id, "message-id"));
            message.InReplyTo = inReplyTo;
            var references = last.EncryptedReferences is { } encryptedReferences
                ? encryption.Decrypt(encryptedReferences, EmailFields.AssociatedData(last.Id, "references")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
                : [];
            foreach (var reference in references.TakeLast(19).Append(inReplyTo))
            {
                message.References.Add(reference);
            }
        }

        message.Headers.Add("Thread-Index", ThreadIndex.Next(last.ThreadIndex, conversation.Id, time.GetUtcNow()));
        return new ComposedEmail(message, null, last);
    }

    /// <summary>A sent reply joins its conversation as an outbound message, so a reply to it (In-Reply-To our Message-ID) is threaded.</summary>
    public void RecordSent(OutboundEmail email, ComposedEmail composed, DateTimeOffset at)
    {
        if (email.Purpose != EmailPurpose.Reply || composed.Message is null)
        {
            return;
        }

        db.EmailMessages.Add(new StoredEmail
        {
            Id = email.Id,
            ConversationId = email.ContactId,
            Direction = EmailDirection.Outbound,
            MessageKey = ingestor.ThreadKey(email.MessageId),
            EncryptedSubject = encryption.Encrypt(composed.Message.Subject ?? "", EmailFields.AssociatedData(email.Id, EmailFields.Subject), FieldPurpose.Shared),
            EncryptedText = email.EncryptedBody,
            ThreadIndex = composed.Message.Headers["Thread-Index"],
            ReceivedAt = at,
            StoredAt = at,
        });
    }
}

/// <summary>
/// Outlook's <c>Thread-Index</c> (MS-OXOMSG PidTagConversationIndex): a 22-byte header (a reserved byte,
/// 40 bits of the FILETIME, a GUID) for a new thread, and a 5-byte child block per reply (the time since
/// the header, a random nibble, a sequence nibble), base64. A thread too long to grow (over 196
/// characters) starts a new header.
/// </summary>
internal static class ThreadIndex
{
    public static string Next(string? parent, Guid conversationId, DateTimeOffset now)
    {
        var nowTime = now.ToFileTime();
        if (parent is not null && TryDecode(parent, out var bytes) && bytes.Length >= 22 && (bytes.Length - 22) % 5 == 0 && bytes.Length <= 142)
        {
            long headerTime = 0;
            for (var i = 1; i < 6; i++)
            {
                headerTime = (headerTime << 8) | bytes[i];
            }

            headerTime <<= 24;
            var delta = Math.Max(0, nowTime - headerTime);
            var block = delta < (1L << 49) ? (uint)((delta >> 18) & 0x7FFFFFFF) : 0x80000000u | (uint)((delta >> 23) & 0x7FFFFFFF);
            var child = new byte[5];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(child, block);
            child[4] = (byte)((System.Security.Cryptography.RandomNumberGenerator.GetInt32(16) << 4) | ((bytes.Length - 22) / 5 & 0xF));
            return Convert.ToBase64String([.. bytes, .. child]);
        }

        var header = new byte[22];
        header[0] = 1;
        var top = (ulong)nowTime >> 24;
        for (var i = 5; i >= 1; i--)
        {
            header[i] = (byte)(top & 0xFF);
            top >>= 8;
        }

        conversationId.ToByteArray().CopyTo(header, 6);
        return Convert.ToBase64String(header);
    }

    private static bool TryDecode(string value, out byte[] bytes)
    {
        bytes = new byte[value.Length];
        if (Convert.TryFromBase64String(value.Trim(), bytes, out var written))
        {
            bytes = bytes[..written];
            return true;
        }

        return false;
    }
}
