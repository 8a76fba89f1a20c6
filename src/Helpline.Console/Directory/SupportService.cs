using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helpline.Console.Directory;

/// <summary>
/// A local or national service a caller can be referred or signposted to. Lists are codes from
/// <see cref="DirectoryVocabulary"/>; an empty eligibility list means "any". A service covering a
/// nation (<see cref="DirectoryVocabulary.England"/>, <see cref="DirectoryVocabulary.Wales"/>) is national.
/// </summary>
internal sealed class SupportService
{
    /// <summary>A stable slug (<c>veritas-justice</c>): the key a CSV import updates by.</summary>
    public required string Id { get; init; }

    public required string Provider { get; set; }

    public required string Name { get; set; }

    public string? Description { get; set; }

    public string? CommissioningBodyId { get; set; }

    public DateOnly? FundedFrom { get; set; }

    public DateOnly? FundedUntil { get; set; }

    /// <summary>ONS codes: nations, police force areas (PFA19) or local authorities (LAD19).</summary>
    public List<string> Areas { get; set; } = [];

    public List<string> Relationships { get; set; } = [];

    public List<string> RiskBands { get; set; } = [];

    public int? MinAge { get; set; }

    public int? MaxAge { get; set; }

    public List<string> Genders { get; set; } = [];

    public required string ReferralMethod { get; set; }

    /// <summary>The secure address referrals are emailed to (a service's, not a person's).</summary>
    public string? ReferralEmail { get; set; }

    public string? Phone { get; set; }

    public string? Website { get; set; }

    /// <summary>What a referral to this service carries (<see cref="DirectoryVocabulary.ReferralFields"/>).</summary>
    public List<string> ReferralFields { get; set; } = [];

    public string? Hours { get; set; }

    public required string Status { get; set; }

    /// <summary>When the status is expected to change (the waiting list to clear, a closed service to reopen).</summary>
    public DateOnly? StatusUntil { get; set; }

    public string? Notes { get; set; }

    /// <summary>Where the entry's facts came from (addresses of published pages).</summary>
    public string? Sources { get; set; }

    /// <summary>Starts at 1, up by one with every change; the ETag.</summary>
    public int Version { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public Guid? UpdatedBy { get; set; }
}

/// <summary>Who commissions services for an area: a PCC, a mayor with PCC functions, the City of London Corporation, or whatever replaces them.</summary>
internal sealed class CommissioningBody
{
    public required string Id { get; init; }

    public required string Name { get; set; }

    /// <summary>Free text, not a type: "Police and Crime Commissioner", "Mayor with PCC functions", later "Mayor" or "Board".</summary>
    public required string Kind { get; set; }

    public int Version { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public Guid? UpdatedBy { get; set; }
}

/// <summary>A police force area (ONS PFA19) and the body that commissions victims' services in it: the commissioning area of the unmet-need report.</summary>
internal sealed class ForceArea
{
    public required string Code { get; init; }

    public required string Name { get; init; }

    public required string CommissioningBodyId { get; set; }

    public int Version { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public Guid? UpdatedBy { get; set; }
}

/// <summary>One change to the directory, kept for ever: who, when, and the whole entry as it became.</summary>
internal sealed class DirectoryChange
{
    public long Id { get; private set; }

    public DateTimeOffset At { get; init; }

    /// <summary>The account that made the change; null for the seed migration.</summary>
    public Guid? ActorId { get; init; }

    /// <summary><c>service</c>, <c>commissioningBody</c> or <c>forceArea</c>.</summary>
    public required string Entity { get; init; }

    public required string EntityId { get; init; }

    public int Version { get; init; }

    /// <summary><c>seeded</c>, <c>created</c>, <c>updated</c> or <c>imported</c>.</summary>
    public required string Change { get; init; }

    /// <summary>The entry after the change, as JSON (the API's shape).</summary>
    public required string Snapshot { get; init; }
}

internal sealed class SupportServiceConfiguration : IEntityTypeConfiguration<SupportService>
{
    public void Configure(EntityTypeBuilder<SupportService> builder)
    {
        builder.ToTable("directory_services");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).HasMaxLength(DirectoryLimits.MaxIdLength);
        builder.Property(s => s.Provider).HasMaxLength(DirectoryLimits.MaxNameLength);
        builder.Property(s => s.Name).HasMaxLength(DirectoryLimits.MaxNameLength);
        builder.Property(s => s.Description).HasMaxLength(DirectoryLimits.MaxTextLength);
        builder.Property(s => s.CommissioningBodyId).HasMaxLength(DirectoryLimits.MaxIdLength);
        builder.HasOne<CommissioningBody>().WithMany().HasForeignKey(s => s.CommissioningBodyId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(s => s.ReferralMethod).HasMaxLength(32);
        builder.Property(s => s.ReferralEmail).HasMaxLength(254);
        builder.Property(s => s.Phone).HasMaxLength(64);
        builder.Property(s => s.Website).HasMaxLength(500);
        builder.Property(s => s.Hours).HasMaxLength(DirectoryLimits.MaxShortTextLength);
        builder.Property(s => s.Status).HasMaxLength(32);
        builder.Property(s => s.Notes).HasMaxLength(DirectoryLimits.MaxTextLength);
        builder.Property(s => s.Sources).HasMaxLength(DirectoryLimits.MaxTextLength);
        builder.Property(s => s.Version).IsConcurrencyToken();
    }
}

internal sealed class CommissioningBodyConfiguration : IEntityTypeConfiguration<CommissioningBody>
{
    public void Configure(EntityTypeBuilder<CommissioningBody> builder)
    {
        builder.ToTable("commissioning_bodies");
        builder.HasKey(b => b.Id);
        builder.Property(b => b.Id).HasMaxLength(DirectoryLimits.MaxIdLength);
        builder.Property(b => b.Name).HasMaxLength(DirectoryLimits.MaxNameLength);
        builder.Property(b => b.Kind).HasMaxLength(DirectoryLimits.MaxNameLength);
        builder.Property(b => b.Version).IsConcurrencyToken();
    }
}

internal sealed class ForceAreaConfiguration : IEntityTypeConfiguration<ForceArea>
{
    public void Configure(EntityTypeBuilder<ForceArea> builder)
    {
        builder.ToTable("force_areas");
        builder.HasKey(f => f.Code);
        builder.Property(f => f.Code).HasMaxLength(9);
        builder.Property(f => f.Name).HasMaxLength(DirectoryLimits.MaxNameLength);
        builder.Property(f => f.CommissioningBodyId).HasMaxLength(DirectoryLimits.MaxIdLength);
        builder.HasOne<CommissioningBody>().WithMany().HasForeignKey(f => f.CommissioningBodyId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(f => f.Version).IsConcurrencyToken();
    }
}

internal sealed class DirectoryChangeConfiguration : IEntityTypeConfiguration<DirectoryChange>
{
    public void Configure(EntityTypeBuilder<DirectoryChange> builder)
    {
        builder.ToTable("directory_changes");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).UseIdentityAlwaysColumn();
        builder.Property(c => c.Entity).HasMaxLength(32);
        builder.Property(c => c.EntityId).HasMaxLength(DirectoryLimits.MaxIdLength);
        builder.Property(c => c.Change).HasMaxLength(16);
        builder.Property(c => c.Snapshot).HasColumnType("jsonb");
        builder.HasIndex(c => new { c.Entity, c.EntityId, c.Version }).IsUnique();
    }
}

/// <summary>Bounds on what a directory entry may hold.</summary>
internal static class DirectoryLimits
{
    public const int MaxIdLength = 64;
    public const int MaxNameLength = 200;
    public const int MaxShortTextLength = 500;
    public const int MaxTextLength = 2000;
    public const int MaxImportBytes = 8 * 1024 * 1024;
}
