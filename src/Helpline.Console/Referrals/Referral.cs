using Helpline.Console.Contacts;
using Helpline.Console.Directory;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helpline.Console.Referrals;

/// <summary>
/// What a caller agreed may be shared, with which service, when, and (once withdrawn) when they took
/// it back. A referral needs a consent in force that covers every field it carries.
/// </summary>
internal sealed class ReferralConsent
{
    public Guid Id { get; init; }

    public Guid ContactId { get; init; }

    /// <summary>With whom: the service the caller agreed to be referred to.</summary>
    public required string ServiceId { get; init; }

    /// <summary>What: the fields (<see cref="DirectoryVocabulary.ReferralFields"/>) the caller agreed may be shared.</summary>
    public List<string> Fields { get; init; } = [];

    public DateTimeOffset GivenAt { get; init; }

    /// <summary>The advisor who recorded the caller's consent.</summary>
    public Guid RecordedBy { get; init; }

    public DateTimeOffset? WithdrawnAt { get; set; }

    public Guid? WithdrawnBy { get; set; }
}

/// <summary>
/// A referral of a caller to a service, with its lifecycle as in Primero: made → accepted, rejected
/// (with a reason) or withdrawn → done (successful or not, with a reason). The steps are in
/// <see cref="ReferralEvent"/>s; this row holds where it stands now.
/// </summary>
internal sealed class Referral
{
    public Guid Id { get; init; }

    public Guid ContactId { get; init; }

    public required string ServiceId { get; init; }

    /// <summary>The service's name when the referral was made (the directory may change later).</summary>
    public required string ServiceName { get; init; }

    /// <summary>Whether the service was local (not national) when the referral was made: what the unmet-need report counts.</summary>
    public bool IsLocal { get; init; }

    public Guid ConsentId { get; init; }

    /// <summary><see cref="DirectoryVocabulary.SecureEmail"/> or <see cref="DirectoryVocabulary.Phone"/>.</summary>
    public required string Method { get; init; }

    /// <summary>The fields the referral carried: the service's field list when it was made.</summary>
    public List<string> Fields { get; init; } = [];

    /// <summary>The caller's name as given for the referral, encrypted; null when the service does not ask for it.</summary>
    public string? EncryptedName { get; init; }

    /// <summary>The advisor's summary for the service, encrypted.</summary>
    public string? EncryptedSummary { get; init; }

    public required string Status { get; set; }

    public DateTimeOffset MadeAt { get; init; }

    public Guid MadeBy { get; init; }

    public DateTimeOffset? AcceptedAt { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }

    /// <summary>For done: whether the referral succeeded.</summary>
    public bool? Successful { get; set; }

    /// <summary>Why it was rejected (free text, no personal data), withdrawn or done (<see cref="ReferralVocabulary.DoneReasons"/>).</summary>
    public string? Reason { get; set; }

    /// <summary>The email that carried it (<see cref="DirectoryVocabulary.SecureEmail"/>); null for a phone referral.</summary>
    public Guid? EmailId { get; init; }

    /// <summary><c>pending</c>, <c>sent</c>, <c>retrying</c> or <c>failed</c>; null for a phone referral.</summary>
    public string? EmailStatus { get; set; }

    public string? EmailMessageId { get; set; }

    public int Version { get; set; }
}

/// <summary>One step of a referral: who, when, what, and why.</summary>
internal sealed class ReferralEvent
{
    public long Id { get; private set; }

    public Guid ReferralId { get; init; }

    public DateTimeOffset At { get; init; }

    /// <summary>The account that took the step; null when the system did (Intake reporting the email).</summary>
    public Guid? ActorId { get; init; }

    /// <summary><c>made</c>, <c>accepted</c>, <c>rejected</c>, <c>withdrawn</c>, <c>done</c>, <c>emailSent</c> or <c>emailSendFailed</c>.</summary>
    public required string Type { get; init; }

    public string? Reason { get; init; }

    public bool? Successful { get; init; }
}

internal static class ReferralVocabulary
{
    public const string Made = "made";
    public const string Accepted = "accepted";
    public const string Rejected = "rejected";
    public const string Withdrawn = "withdrawn";
    public const string Done = "done";

    public static readonly IReadOnlyList<string> Open = [Made, Accepted];

    /// <summary>Why a referral was done, as in Primero.</summary>
    public static readonly IReadOnlyList<string> DoneReasons =
        ["clientRefused", "lackOfCapacity", "noLongerNeeded", "unableToContactClient", "unableToContactService", "other"];

    public const string LackOfCapacity = "lackOfCapacity";

    public const int MaxReasonLength = 500;
    public const int MaxNameLength = 200;
    public const int MaxSummaryLength = 2000;
}

internal sealed class ReferralConsentConfiguration : IEntityTypeConfiguration<ReferralConsent>
{
    public void Configure(EntityTypeBuilder<ReferralConsent> builder)
    {
        builder.ToTable("referral_consents");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.HasOne<Contact>().WithMany().HasForeignKey(c => c.ContactId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(c => c.ServiceId).HasMaxLength(DirectoryLimits.MaxIdLength);
        builder.HasIndex(c => new { c.ContactId, c.ServiceId });
    }
}

internal sealed class ReferralConfiguration : IEntityTypeConfiguration<Referral>
{
    public void Configure(EntityTypeBuilder<Referral> builder)
    {
        builder.ToTable("referrals");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.HasOne<Contact>().WithMany().HasForeignKey(r => r.ContactId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<ReferralConsent>().WithMany().HasForeignKey(r => r.ConsentId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(r => r.ServiceId).HasMaxLength(DirectoryLimits.MaxIdLength);
        builder.Property(r => r.ServiceName).HasMaxLength(DirectoryLimits.MaxNameLength);
        builder.Property(r => r.Method).HasMaxLength(32);
        builder.Property(r => r.Status).HasMaxLength(16);
        builder.Property(r => r.Reason).HasMaxLength(ReferralVocabulary.MaxReasonLength);
        builder.Property(r => r.EmailStatus).HasMaxLength(16);
        builder.Property(r => r.EmailMessageId).HasMaxLength(998);
        builder.Property(r => r.Version).IsConcurrencyToken();
        builder.HasIndex(r => r.EmailId).IsUnique();
        builder.HasIndex(r => r.Status);

        // A contact's referrals, read with its record and once per contact by the unmet-need report
        // (the unique index below holds open referrals only, so it cannot serve either).
        builder.HasIndex(r => r.ContactId);

        // One open referral per contact and service: a double click or a retry makes no second one.
        builder.HasIndex(r => new { r.ContactId, r.ServiceId }).IsUnique().HasFilter("status IN ('made', 'accepted')");
    }
}

internal sealed class ReferralEventConfiguration : IEntityTypeConfiguration<ReferralEvent>
{
    public void Configure(EntityTypeBuilder<ReferralEvent> builder)
    {
        builder.ToTable("referral_events");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).UseIdentityAlwaysColumn();
        builder.HasOne<Referral>().WithMany().HasForeignKey(e => e.ReferralId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(e => e.Type).HasMaxLength(32);
        builder.Property(e => e.Reason).HasMaxLength(ReferralVocabulary.MaxReasonLength);
        builder.HasIndex(e => e.ReferralId);
    }
}
