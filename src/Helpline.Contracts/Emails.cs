namespace Helpline.Contracts;

/// <summary>Why Console asks Intake to send an email.</summary>
public enum EmailPurpose
{
    /// <summary>An advisor's reply in an email conversation (the contact).</summary>
    Reply = 0,

    /// <summary>A referral to a local or national support service, for the contact it came from.</summary>
    Referral = 1,
}

// ---- Console → Intake -------------------------------------------------------------------

/// <summary>
/// The associated data that binds each encrypted email field to its email and field (the shared
/// field encryption's second argument): a ciphertext moved to another email or field does not decrypt.
/// Both services use these, so what one encrypts the other can read with the same key.
/// </summary>
public static class EmailFields
{
    public const string Subject = "subject";
    public const string Body = "body";
    public const string Html = "html";
    public const string From = "from";

    public static string AssociatedData(Guid emailId, string field) => $"email:{emailId:N}:{field}";

    public static string AttachmentName(Guid emailId, Guid attachmentId) => AssociatedData(emailId, $"attachment-name:{attachmentId:N}");

    public static string AttachmentContent(Guid emailId, Guid attachmentId) => AssociatedData(emailId, $"attachment:{attachmentId:N}");
}

/// <summary>
/// Send one email over SMTP. Intake stores it and sends it with retries; it reports the outcome with
/// <see cref="EmailSent"/> or <see cref="EmailSendFailed"/>. <see cref="EmailId"/> makes a redelivered
/// command harmless (one email, one send). Subject and body are personal data: they travel encrypted
/// with the shared field encryption, never in clear.
/// </summary>
public sealed record SendEmail
{
    public required Guid EmailId { get; init; }

    public required EmailPurpose Purpose { get; init; }

    /// <summary>The conversation replied to (<see cref="EmailPurpose.Reply"/>), or the contact a referral is made for.</summary>
    public required Guid ContactId { get; init; }

    /// <summary>
    /// The recipient for a referral (the service's referral address, which is not personal data).
    /// Null for a reply: Intake answers the conversation's sender, whose address only it holds.
    /// </summary>
    public string? To { get; init; }

    /// <summary>The subject, field-encrypted (<see cref="EmailFields.AssociatedData"/> of <see cref="EmailId"/> and <see cref="EmailFields.Subject"/>).</summary>
    public required string EncryptedSubject { get; init; }

    /// <summary>The plain-text body, field-encrypted (<see cref="EmailFields.AssociatedData"/> of <see cref="EmailId"/> and <see cref="EmailFields.Body"/>).</summary>
    public required string EncryptedBody { get; init; }

    public required DateTimeOffset RequestedAt { get; init; }
}

// ---- Intake → Console -------------------------------------------------------------------

/// <summary>The SMTP server accepted the email.</summary>
public sealed record EmailSent
{
    public required Guid EmailId { get; init; }
    public required Guid ContactId { get; init; }
    public required EmailPurpose Purpose { get; init; }

    /// <summary>The Message-ID the email went out with (angle brackets removed).</summary>
    public required string MessageId { get; init; }

    public required DateTimeOffset At { get; init; }
}

/// <summary>
/// An attempt to send failed. <see cref="Permanent"/>: Intake gives up (the server refused the
/// recipient or the message); otherwise it retries at <see cref="NextAttemptAt"/>.
/// </summary>
public sealed record EmailSendFailed
{
    public required Guid EmailId { get; init; }
    public required Guid ContactId { get; init; }
    public required EmailPurpose Purpose { get; init; }
    public required bool Permanent { get; init; }

    /// <summary>What went wrong, for the advisor: an SMTP status or a network error, never message content.</summary>
    public required string Reason { get; init; }

    public required int Attempt { get; init; }
    public DateTimeOffset? NextAttemptAt { get; init; }
    public required DateTimeOffset At { get; init; }
}

/// <summary>Why a message was judged automatic (RFC 3834): stored and shown, never queued nor answered.</summary>
public enum AutomaticReason
{
    /// <summary><c>Auto-Submitted</c> other than <c>no</c>.</summary>
    AutoSubmitted = 0,

    /// <summary><c>X-Autoreply</c> or <c>X-Autorespond</c>.</summary>
    AutoReplyHeader = 1,

    /// <summary><c>Precedence: bulk</c>, <c>list</c> or <c>junk</c>, or a <c>List-Id</c>.</summary>
    BulkOrList = 2,

    /// <summary>A delivery-status report (DSN) or a read receipt (MDN).</summary>
    DeliveryReport = 3,

    /// <summary>From a mailer daemon or postmaster, or with an empty return path.</summary>
    Bounce = 4,
}

/// <summary>
/// Intake stored an inbound message of an email conversation (the contact <see cref="ContactId"/>). The
/// content travels with it, every personal field encrypted with the shared field encryption
/// (<see cref="EmailFields"/>, bound to <see cref="EmailId"/>), so Console never talks to a mail server.
/// A new conversation's first human message is also announced with <c>ContactReceived</c> (channel Email),
/// published before this one. Intake's size limit (<c>Email:Limits:MaxMessageBytes</c>) bounds it.
/// </summary>
public sealed record EmailReceived
{
    public required Guid EmailId { get; init; }

    /// <summary>The conversation (Console's contact) the message belongs to.</summary>
    public required Guid ContactId { get; init; }

    /// <summary>This message started the conversation.</summary>
    public required bool NewConversation { get; init; }

    /// <summary>Set when the message is automatic (auto-reply, bounce, list mail): never queued, never answered.</summary>
    public AutomaticReason? Automatic { get; init; }

    /// <summary>Set when the message was first quarantined and a supervisor released it.</summary>
    public Guid? ReleasedFromQuarantine { get; init; }

    /// <summary>HMAC of the sender's address (the same key as callers' numbers): "same sender" without the address.</summary>
    public required string SenderKey { get; init; }

    /// <summary>The sender, as <c>Name &lt;address&gt;</c>, encrypted.</summary>
    public required string EncryptedFrom { get; init; }

    public required string EncryptedSubject { get; init; }

    /// <summary>The plain-text body (the text/plain part, or text derived from the HTML), encrypted; null when there is none.</summary>
    public string? EncryptedText { get; init; }

    /// <summary>The HTML body as received (Console sanitises it for display), encrypted; null when there is none.</summary>
    public string? EncryptedHtml { get; init; }

    public IReadOnlyList<EmailAttachment> Attachments { get; init; } = [];

    /// <summary>When the mail server received it (IMAP INTERNALDATE).</summary>
    public required DateTimeOffset ReceivedAt { get; init; }
}

/// <summary>An attachment of an <see cref="EmailReceived"/>, never rendered inline.</summary>
public sealed record EmailAttachment
{
    public required Guid AttachmentId { get; init; }

    /// <summary>The sender's file name, encrypted (<see cref="EmailFields.AttachmentName"/>).</summary>
    public required string EncryptedFileName { get; init; }

    /// <summary>The type sniffed from the content's first bytes (not the sender's claim), e.g. <c>application/pdf</c>; <c>application/octet-stream</c> when unknown.</summary>
    public required string ContentType { get; init; }

    public required long Size { get; init; }

    /// <summary>The content, encrypted (<see cref="EmailFields.AttachmentContent"/>).</summary>
    public required string EncryptedContent { get; init; }
}

/// <summary>
/// A message Intake would not hand to an advisor as it is (malformed MIME, over a limit, a bad charset,
/// empty, an HTML bomb): kept with the reason for supervisors to release or discard.
/// </summary>
public sealed record EmailQuarantined
{
    /// <summary>The stored message's id; <see cref="ReleaseQuarantinedEmail"/> and <see cref="DiscardQuarantinedEmail"/> name it.</summary>
    public required Guid EmailId { get; init; }

    /// <summary>Why, in a sentence with no message content.</summary>
    public required string Reason { get; init; }

    public required long Size { get; init; }

    /// <summary>The sender's key, when a sender could be read.</summary>
    public string? SenderKey { get; init; }

    /// <summary>The sender as far as it could be read, encrypted; null when unreadable.</summary>
    public string? EncryptedFrom { get; init; }

    /// <summary>The subject as far as it could be read, encrypted; null when unreadable.</summary>
    public string? EncryptedSubject { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }
}

/// <summary>
/// A supervisor released a quarantined message: Intake reads it again leniently (over-limit text cut,
/// unreadable parts left out) and delivers it to its conversation as an <see cref="EmailReceived"/>.
/// </summary>
public sealed record ReleaseQuarantinedEmail
{
    public required Guid EmailId { get; init; }
    public required Guid SupervisorId { get; init; }
    public required DateTimeOffset At { get; init; }
}

/// <summary>A supervisor discarded a quarantined message: Intake erases its content and keeps the record.</summary>
public sealed record DiscardQuarantinedEmail
{
    public required Guid EmailId { get; init; }
    public required Guid SupervisorId { get; init; }
    public required DateTimeOffset At { get; init; }
}
