using Helpline.Console.Contacts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helpline.Console.Records;

/// <summary>
/// What the advisor recorded about one contact. Columns other services may report on are plain;
/// personal data (callback number, safe times, email address, notes) is stored encrypted
/// (<see cref="Helpline.ServiceDefaults.Security.FieldEncryption"/>), each value bound to its contact and field.
/// </summary>
internal sealed class ContactRecord
{
    public Guid ContactId { get; init; }

    /// <summary>Starts at 1 and goes up by one with every save; the ETag of the record.</summary>
    public int Revision { get; set; }

    /// <summary>The advisor who saved last.</summary>
    public Guid AdvisorId { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }

    public bool? Fixated { get; set; }

    public bool? Obsessive { get; set; }

    public bool? Unwanted { get; set; }

    public bool? Repeated { get; set; }

    public bool? IsStalking { get; set; }

    public string? Relationship { get; set; }

    public string? ReportedToPolice { get; set; }

    public string? AgeGroup { get; set; }

    public string? Gender { get; set; }

    public string? RiskQuestionnaireId { get; set; }

    public int? RiskQuestionnaireVersion { get; set; }

    /// <summary>JSON object of question id → yes/no; only answered questions.</summary>
    public string? RiskAnswers { get; set; }

    public int? RiskScore { get; set; }

    public string? RiskBand { get; set; }

    public bool? SafeToCallBack { get; set; }

    public string? EncryptedCallbackNumber { get; set; }

    public string? EncryptedSafeTimes { get; set; }

    public bool? VoicemailAllowed { get; set; }

    public bool? SafeToEmail { get; set; }

    public string? EncryptedEmail { get; set; }

    public string? LocalAuthorityCode { get; set; }

    public string? PoliceForceCode { get; set; }

    /// <summary>The first half of the caller's postcode, when a look-up gave the area; the whole postcode is never kept.</summary>
    public string? OutwardCode { get; set; }

    public List<string> Needs { get; set; } = [];

    public List<string> Outcomes { get; set; } = [];

    public string? EncryptedNotes { get; set; }

    public bool Urgent { get; set; }

    /// <summary>When the urgent flag was last turned on.</summary>
    public DateTimeOffset? UrgentRaisedAt { get; set; }
}

internal sealed class ContactRecordConfiguration : IEntityTypeConfiguration<ContactRecord>
{
    public void Configure(EntityTypeBuilder<ContactRecord> builder)
    {
        builder.ToTable("contact_records");
        builder.HasKey(r => r.ContactId);
        builder.Property(r => r.ContactId).ValueGeneratedNever();
        builder.HasOne<Contact>().WithOne().HasForeignKey<ContactRecord>(r => r.ContactId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(r => r.Revision).IsConcurrencyToken();
        builder.Property(r => r.Relationship).HasMaxLength(32);
        builder.Property(r => r.ReportedToPolice).HasMaxLength(16);
        builder.Property(r => r.AgeGroup).HasMaxLength(16);
        builder.Property(r => r.Gender).HasMaxLength(16);
        builder.Property(r => r.OutwardCode).HasMaxLength(4);
        builder.Property(r => r.RiskQuestionnaireId).HasMaxLength(64);
        builder.Property(r => r.RiskAnswers).HasColumnType("jsonb");
        builder.Property(r => r.RiskBand).HasMaxLength(32);
        builder.Property(r => r.LocalAuthorityCode).HasMaxLength(9);
        builder.Property(r => r.PoliceForceCode).HasMaxLength(9);
        builder.HasIndex(r => r.Urgent).HasFilter("urgent");
    }
}
