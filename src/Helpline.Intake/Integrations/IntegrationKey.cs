using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helpline.Intake.Integrations;

/// <summary>
/// One integration's credential on the provider-neutral API (a PBX bridge, the load generator). Only
/// the SHA-256 of the key is stored: the key is 256 random bits, so a fast hash cannot be brute-forced,
/// and a database reader learns nothing usable. <see cref="KeyId"/> is the key's public part, for the
/// look-up; a revoked key stays, so the name cannot be reused by mistake and the history is kept.
/// </summary>
internal sealed class IntegrationKey
{
    public const int MaxNameLength = 64;

    public Guid Id { get; init; }

    /// <summary>Who holds it ("pbx-bridge", "load-generator"): the operator's label, never caller data.</summary>
    public required string Name { get; init; }

    /// <summary>The public part of the key, 16 hex characters.</summary>
    public required string KeyId { get; init; }

    /// <summary>SHA-256 of the whole key text.</summary>
    public required byte[] SecretHash { get; init; }

    /// <summary>What the key may do (<see cref="IntegrationScopes"/>).</summary>
    public required string[] Scopes { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? RevokedAt { get; set; }
}

internal sealed class IntegrationKeyConfiguration : IEntityTypeConfiguration<IntegrationKey>
{
    public void Configure(EntityTypeBuilder<IntegrationKey> builder)
    {
        builder.ToTable("integration_keys");
        builder.HasKey(k => k.Id);
        builder.Property(k => k.Name).HasMaxLength(IntegrationKey.MaxNameLength);
        builder.HasIndex(k => k.Name).IsUnique();
        builder.Property(k => k.KeyId).HasMaxLength(16);
        builder.HasIndex(k => k.KeyId).IsUnique();
    }
}
