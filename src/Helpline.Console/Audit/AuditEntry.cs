using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helpline.Console.Audit;

/// <summary>
/// One thing somebody did or read, appended and never changed: who, what, which contact, when and
/// from where. Never the personal data itself (no numbers, addresses, names or notes).
/// </summary>
internal sealed class AuditEntry
{
    public long Id { get; private set; }

    public DateTimeOffset At { get; init; }

    /// <summary>The signed-in account that acted; null for the system itself or an anonymous request.</summary>
    public Guid? ActorId { get; init; }

    /// <summary>What was done, as a dotted name (<c>advisor.status.set</c>, <c>email.attachment.read</c>).</summary>
    public required string Action { get; init; }

    /// <summary>The contact whose data was read or changed, if any.</summary>
    public Guid? ContactId { get; init; }

    /// <summary>The other thing acted on (an advisor's id, a quarantined message's id, a service's id), if any.</summary>
    public string? Target { get; init; }

    /// <summary>A few words more, never personal data (a break reason, a count, an outcome).</summary>
    public string? Detail { get; init; }

    /// <summary>The client's address as the server saw it (after forwarded headers from a trusted proxy).</summary>
    public string? ClientAddress { get; init; }

    /// <summary>Its place in the chain, from 1, given when the sealer seals it (null until then, a few seconds).</summary>
    public long? Sequence { get; private set; }

    /// <summary>The hash of the entry sealed before it (32 zero bytes for the first).</summary>
    public byte[]? PreviousHash { get; private set; }

    /// <summary>HMAC-SHA256 over <see cref="PreviousHash"/> and this entry's fields (<see cref="AuditChain"/>).</summary>
    public byte[]? Hash { get; private set; }

    public void Seal(long sequence, byte[] previousHash, byte[] hash)
    {
        Sequence = sequence;
        PreviousHash = previousHash;
        Hash = hash;
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("audit_entries");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).UseIdentityAlwaysColumn();
        builder.Property(e => e.Action).HasMaxLength(64);
        builder.Property(e => e.Target).HasMaxLength(128);
        builder.Property(e => e.Detail).HasMaxLength(256);
        builder.Property(e => e.ClientAddress).HasMaxLength(64);
        builder.HasIndex(e => e.At);
        builder.HasIndex(e => e.ContactId);
        builder.HasIndex(e => e.Sequence).IsUnique();
        builder.HasIndex(e => e.Id).HasFilter("hash IS NULL").HasDatabaseName("ix_audit_entries_unsealed");
    }
}
