using Helpline.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helpline.Intake.Email;

/// <summary>
/// An email conversation: Console's contact of channel Email (<see cref="Id"/> is the contact id). Holds
/// no content: its messages do. <see cref="Token"/> is what our replies carry in the subject and the
/// reply address tag, so a reply that lost its headers still finds its way back.
/// </summary>
internal sealed class EmailConversation
{
    public Guid Id { get; init; }

    /// <summary>10 characters of base32 (50 random bits), unique.</summary>
    public required string Token { get; init; }

    /// <summary>HMAC of the address that started it.</summary>
    public required string SenderKey { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset LastMessageAt { get; set; }
}

internal enum EmailDirection
{
    Inbound = 0,
    Outbound = 1,
}

/// <summary>What became of a quarantined message.</summary>
internal enum QuarantineResolution
{
    Released = 0,
    Discarded = 1,
}

/// <summary>
/// One message in or out, every personal field encrypted with the shared field encryption and bound to
/// this row's id (<see cref="EmailFields"/>). <see cref="MessageKey"/> (unique) is the dedupe guard:
/// a keyed hash of the Message-ID, or of stable headers when there is none; outbound messages have one
/// too, so our own replies are recognised when a reply quotes them or a copy comes back.
/// </summary>
internal sealed class StoredEmail
{
    public Guid Id { get; init; }

    /// <summary>Null while quarantined (and for a discarded message).</summary>
    public Guid? ConversationId { get; set; }

    public EmailDirection Direction { get; init; }

    public required string MessageKey { get; init; }

    public string? SenderKey { get; set; }

    public string? EncryptedFrom { get; set; }

    public string? EncryptedSubject { get; set; }

    public string? EncryptedText { get; set; }

    public string? EncryptedHtml { get; set; }

    /// <summary>The Message-ID in clear would be personal enough (some clients put the address in it): encrypted, for a reply's In-Reply-To.</summary>
    public string? EncryptedMessageId { get; set; }

    /// <summary>The References to continue in a reply, one per line, encrypted.</summary>
    public string? EncryptedReferences { get; set; }

    public string? ThreadIndex { get; set; }

    public AutomaticReason? Automatic { get; set; }

    public string? QuarantineReason { get; set; }

    public QuarantineResolution? QuarantineResolution { get; set; }

    public DateTimeOffset? ResolvedAt { get; set; }

    /// <summary>The raw message, encrypted, kept only while quarantined so a release can read it again.</summary>
    public string? EncryptedRaw { get; set; }

    public long Size { get; init; }

    /// <summary>Where it was read: mailbox, folder, UIDVALIDITY and UID (inbound only).</summary>
    public string? Mailbox { get; init; }

    public string? Folder { get; init; }

    public long? UidValidity { get; init; }

    public long? Uid { get; init; }

    public DateTimeOffset ReceivedAt { get; init; }

    public DateTimeOffset StoredAt { get; init; }

    public List<StoredAttachment> Attachments { get; init; } = [];
}

internal sealed class StoredAttachment
{
    public Guid Id { get; init; }

    public Guid EmailId { get; init; }

    public required string EncryptedFileName { get; init; }

    /// <summary>Sniffed from the content (<see cref="ContentSniffer"/>).</summary>
    public required string ContentType { get; init; }

    public long Size { get; init; }

    public required string EncryptedContent { get; init; }
}

/// <summary>How far a folder has been read: everything up to <see cref="LastUid"/> under <see cref="UidValidity"/> is stored.</summary>
internal sealed class MailboxCheckpoint
{
    public required string Mailbox { get; init; }

    public required string Folder { get; init; }

    public long UidValidity { get; set; }

    public long LastUid { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

internal enum OutboundState
{
    Pending = 0,
    Sent = 1,
    Failed = 2,
}

/// <summary>
/// An email Console asked Intake to send (<see cref="SendEmail"/>), kept until the SMTP server accepts
/// it or refuses it for good. Subject and body stay as Console encrypted them (bound to <see cref="Id"/>).
/// </summary>
internal sealed class OutboundEmail
{
    /// <summary>The command's <c>EmailId</c>: a redelivered command finds this row and sends nothing twice.</summary>
    public Guid Id { get; init; }

    public EmailPurpose Purpose { get; init; }

    public Guid ContactId { get; init; }

    /// <summary>A referral's recipient (a service's referral address, not personal data); null for a reply, which goes to the conversation's sender.</summary>
    public string? To { get; init; }

    public required string EncryptedSubject { get; init; }

    public required string EncryptedBody { get; init; }

    /// <summary>The Message-ID it goes out with (our own domain; not personal).</summary>
    public required string MessageId { get; init; }

    public OutboundState State { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    /// <summary>The last failure, for operators: an SMTP status or an error type, never content.</summary>
    public string? LastError { get; set; }

    public DateTimeOffset RequestedAt { get; init; }

    public DateTimeOffset? SentAt { get; set; }
}

internal sealed class EmailConversationConfiguration : IEntityTypeConfiguration<EmailConversation>
{
    public void Configure(EntityTypeBuilder<EmailConversation> builder)
    {
        builder.ToTable("email_conversations");
        builder.Property(c => c.Token).HasMaxLength(16);
        builder.HasIndex(c => c.Token).IsUnique();
        builder.Property(c => c.SenderKey).HasMaxLength(64);
        builder.HasIndex(c => new { c.SenderKey, c.CreatedAt });
    }
}

internal sealed class StoredEmailConfiguration : IEntityTypeConfiguration<StoredEmail>
{
    public void Configure(EntityTypeBuilder<StoredEmail> builder)
    {
        builder.ToTable("email_messages");
        builder.Property(e => e.MessageKey).HasMaxLength(80);
        builder.HasIndex(e => e.MessageKey).IsUnique();
        builder.Property(e => e.SenderKey).HasMaxLength(64);
        builder.HasIndex(e => new { e.SenderKey, e.ReceivedAt });
        builder.HasIndex(e => e.ConversationId);
        builder.Property(e => e.Direction).HasConversion<string>().HasMaxLength(10);
        builder.Property(e => e.Automatic).HasConversion<string>().HasMaxLength(20);
        builder.Property(e => e.QuarantineReason).HasMaxLength(1000);
        builder.Property(e => e.QuarantineResolution).HasConversion<string>().HasMaxLength(10);
        builder.Property(e => e.ThreadIndex).HasMaxLength(200);
        builder.Property(e => e.Mailbox).HasMaxLength(100);
        builder.Property(e => e.Folder).HasMaxLength(200);
        builder.HasOne<EmailConversation>().WithMany().HasForeignKey(e => e.ConversationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(e => e.Attachments).WithOne().HasForeignKey(a => a.EmailId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class StoredAttachmentConfiguration : IEntityTypeConfiguration<StoredAttachment>
{
    public void Configure(EntityTypeBuilder<StoredAttachment> builder)
    {
        builder.ToTable("email_attachments");
        builder.Property(a => a.ContentType).HasMaxLength(100);
    }
}

internal sealed class MailboxCheckpointConfiguration : IEntityTypeConfiguration<MailboxCheckpoint>
{
    public void Configure(EntityTypeBuilder<MailboxCheckpoint> builder)
    {
        builder.ToTable("mailbox_checkpoints");
        builder.HasKey(c => new { c.Mailbox, c.Folder });
        builder.Property(c => c.Mailbox).HasMaxLength(100);
        builder.Property(c => c.Folder).HasMaxLength(200);
    }
}

internal sealed class OutboundEmailConfiguration : IEntityTypeConfiguration<OutboundEmail>
{
    public void Configure(EntityTypeBuilder<OutboundEmail> builder)
    {
        builder.ToTable("outbound_emails");
        builder.Property(e => e.Purpose).HasConversion<string>().HasMaxLength(20);
        builder.Property(e => e.State).HasConversion<string>().HasMaxLength(10);
        builder.Property(e => e.MessageId).HasMaxLength(200);
        builder.Property(e => e.To).HasMaxLength(320);
        builder.Property(e => e.LastError).HasMaxLength(300);
        builder.HasIndex(e => e.NextAttemptAt).HasFilter("state = 'Pending'").HasDatabaseName("ix_outbound_emails_due");
    }
}
