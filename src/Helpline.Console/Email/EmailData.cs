using Helpline.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helpline.Console.Email;

internal enum MessageDirection
{
    Inbound = 0,
    Outbound = 1,
}

/// <summary>Where an advisor's reply is: with Intake waiting to go (and being retried), accepted by the mail server, or refused for good.</summary>
internal enum ReplyState
{
    Sending = 0,
    Sent = 1,
    Failed = 2,
}

/// <summary>
/// One message of an email conversation (the contact <see cref="ContactId"/>), in or out. The content is
/// kept as Intake (or Console, for a reply) encrypted it, bound to <see cref="Id"/> (<see cref="EmailFields"/>).
/// </summary>
internal sealed class ConversationMessage
{
    /// <summary>The email's id (Intake's for an inbound message, the SendEmail's for a reply).</summary>
    public Guid Id { get; init; }

    public Guid ContactId { get; init; }

    public MessageDirection Direction { get; init; }

    public AutomaticReason? Automatic { get; init; }

    public string? EncryptedFrom { get; init; }

    public required string EncryptedSubject { get; init; }

    public string? EncryptedText { get; init; }

    public string? EncryptedHtml { get; init; }

    public DateTimeOffset At { get; init; }

    /// <summary>The advisor who wrote a reply.</summary>
    public Guid? AdvisorId { get; init; }

    public ReplyState? State { get; set; }

    /// <summary>Intake's last failure (an SMTP status or a network error, never content).</summary>
    public string? Failure { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset? NextAttemptAt { get; set; }

    public DateTimeOffset? SentAt { get; set; }
}

/// <summary>An inbound message's attachment: listed with its size and sniffed type, downloaded only by the assigned advisor or a supervisor.</summary>
internal sealed class ConversationAttachment
{
    public Guid Id { get; init; }

    public Guid EmailId { get; init; }

    public Guid ContactId { get; init; }

    public required string EncryptedFileName { get; init; }

    public required string ContentType { get; init; }

    public long Size { get; init; }

    public required string EncryptedContent { get; init; }
}

internal enum QuarantineState
{
    Held = 0,
    Released = 1,
    Discarded = 2,
}

/// <summary>A message Intake quarantined, for supervisors to release or discard.</summary>
internal sealed class QuarantinedEmail
{
    public Guid Id { get; init; }

    public required string Reason { get; init; }

    public long Size { get; init; }

    public string? SenderKey { get; init; }

    public string? EncryptedFrom { get; set; }

    public string? EncryptedSubject { get; set; }

    public DateTimeOffset ReceivedAt { get; init; }

    public QuarantineState State { get; set; }

    public Guid? ResolvedBy { get; set; }

    public DateTimeOffset? ResolvedAt { get; set; }
}

/// <summary>Signposting text advisors start replies from, managed by admins. Not personal data.</summary>
internal sealed class ReplyTemplate
{
    public Guid Id { get; init; }

    public required string Name { get; set; }

    public required string Body { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>An advisor's unsent reply, autosaved like the record, encrypted.</summary>
internal sealed class ReplyDraft
{
    public Guid ContactId { get; init; }

    public Guid AdvisorId { get; init; }

    public required string EncryptedBody { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public static string AssociatedData(Guid contactId, Guid advisorId) => $"reply_drafts:{contactId:N}:{advisorId:N}:body";
}

internal sealed class ConversationMessageConfiguration : IEntityTypeConfiguration<ConversationMessage>
{
    public void Configure(EntityTypeBuilder<ConversationMessage> builder)
    {
        builder.ToTable("email_messages");
        builder.Property(m => m.Id).ValueGeneratedNever();
        builder.Property(m => m.Direction).HasConversion<string>().HasMaxLength(10);
        builder.Property(m => m.Automatic).HasConversion<string>().HasMaxLength(20);
        builder.Property(m => m.State).HasConversion<string>().HasMaxLength(10);
        builder.Property(m => m.Failure).HasMaxLength(300);
        builder.HasIndex(m => new { m.ContactId, m.At });
    }
}

internal sealed class ConversationAttachmentConfiguration : IEntityTypeConfiguration<ConversationAttachment>
{
    public void Configure(EntityTypeBuilder<ConversationAttachment> builder)
    {
        builder.ToTable("email_attachments");
        builder.Property(a => a.Id).ValueGeneratedNever();
        builder.Property(a => a.ContentType).HasMaxLength(100);
        builder.HasIndex(a => a.EmailId);
    }
}

internal sealed class QuarantinedEmailConfiguration : IEntityTypeConfiguration<QuarantinedEmail>
{
    public void Configure(EntityTypeBuilder<QuarantinedEmail> builder)
    {
        builder.ToTable("quarantined_emails");
        builder.Property(q => q.Id).ValueGeneratedNever();
        builder.Property(q => q.Reason).HasMaxLength(1000);
        builder.Property(q => q.SenderKey).HasMaxLength(64);
        builder.Property(q => q.State).HasConversion<string>().HasMaxLength(10);
        builder.HasIndex(q => q.State);
    }
}

internal sealed class ReplyTemplateConfiguration : IEntityTypeConfiguration<ReplyTemplate>
{
    public void Configure(EntityTypeBuilder<ReplyTemplate> builder)
    {
        builder.ToTable("reply_templates");
        builder.Property(t => t.Id).ValueGeneratedNever();
        builder.Property(t => t.Name).HasMaxLength(EmailLimits.MaxTemplateName);
        builder.Property(t => t.Body).HasMaxLength(EmailLimits.MaxReplyLength);
    }
}

internal sealed class ReplyDraftConfiguration : IEntityTypeConfiguration<ReplyDraft>
{
    public void Configure(EntityTypeBuilder<ReplyDraft> builder)
    {
        builder.ToTable("reply_drafts");
        builder.HasKey(d => new { d.ContactId, d.AdvisorId });
    }
}

/// <summary>Limits on what advisors and admins write.</summary>
internal static class EmailLimits
{
    public const int MaxReplyLength = 20_000;
    public const int MaxSubjectLength = 200;
    public const int MaxTemplateName = 100;
}
