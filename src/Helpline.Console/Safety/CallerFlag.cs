using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helpline.Console.Safety;

/// <summary>Where a flag stands in its review. An expired flag keeps its status but no longer applies.</summary>
internal enum CallerFlagStatus
{
    /// <summary>Raised by an advisor, not yet reviewed; it applies already.</summary>
    Pending = 0,

    /// <summary>A supervisor agreed; it applies until it expires.</summary>
    Confirmed = 1,

    /// <summary>A supervisor disagreed; it no longer applies.</summary>
    Dismissed = 2,
}

/// <summary>
/// A caller suspected of being a perpetrator posing as a victim, kept against the keyed hash of their
/// number (never the number). While it stands (not dismissed, not expired) every later contact from
/// that hash carries it, and advisors are not shown the caller's earlier contacts.
/// </summary>
internal sealed class CallerFlag
{
    public const int MaxReasonLength = 500;

    public Guid Id { get; init; }

    /// <summary>The contacts' <c>caller_key</c>: the keyed hash of the number.</summary>
    public required string CallerKey { get; init; }

    /// <summary>The contact the advisor was on when they raised it.</summary>
    public Guid ContactId { get; init; }

    /// <summary>Why, in the advisor's words; encrypted (it may describe people).</summary>
    public required string EncryptedReason { get; init; }

    public Guid RaisedBy { get; init; }

    public DateTimeOffset RaisedAt { get; init; }

    public DateTimeOffset ExpiresAt { get; init; }

    public CallerFlagStatus Status { get; set; }

    public Guid? ReviewedBy { get; set; }

    public DateTimeOffset? ReviewedAt { get; set; }

    public bool StandsAt(DateTimeOffset now) => Status != CallerFlagStatus.Dismissed && ExpiresAt > now;
}

internal sealed class CallerFlagConfiguration : IEntityTypeConfiguration<CallerFlag>
{
    public void Configure(EntityTypeBuilder<CallerFlag> builder)
    {
        builder.ToTable("caller_flags");
        builder.HasKey(f => f.Id);
        builder.Property(f => f.Id).ValueGeneratedNever();
        builder.Property(f => f.CallerKey).HasMaxLength(64);
        builder.Property(f => f.Status).HasConversion<string>().HasMaxLength(16).IsConcurrencyToken();
        builder.HasIndex(f => new { f.CallerKey, f.ExpiresAt });
        builder.HasIndex(f => f.Status);
    }
}

/// <summary>How long a flag applies (section <c>CallerFlags</c>).</summary>
internal sealed class CallerFlagOptions
{
    public const string Section = "CallerFlags";

    /// <summary>Days from raising until the flag stops applying, whatever its review.</summary>
    [Range(1, 3650)]
    public int ExpiryDays { get; set; } = 90;
}
