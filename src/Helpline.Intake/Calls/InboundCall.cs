using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helpline.Intake.Calls;

/// <summary>A call as the provider announced it. The caller's number is never stored in clear here.</summary>
public sealed class InboundCall
{
    /// <summary>The contact id that Console knows the call by.</summary>
    public Guid Id { get; init; }

    /// <summary>Which door the call came through: <c>api</c> (provider-neutral) or a provider's name.</summary>
    public required string Provider { get; init; }

    public required string ProviderCallId { get; init; }

    /// <summary>HMAC of the caller's number; null when withheld.</summary>
    public string? CallerKey { get; init; }

    public required string DialledNumber { get; init; }

    public DateTimeOffset ReceivedAt { get; init; }

    public DateTimeOffset StoredAt { get; init; }
}

internal sealed class InboundCallConfiguration : IEntityTypeConfiguration<InboundCall>
{
    public void Configure(EntityTypeBuilder<InboundCall> builder)
    {
        builder.ToTable("inbound_calls");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Provider).HasMaxLength(32);
        builder.Property(c => c.ProviderCallId).HasMaxLength(CallRequest.MaxProviderCallIdLength);
        builder.Property(c => c.CallerKey).HasMaxLength(64);
        builder.Property(c => c.DialledNumber).HasMaxLength(16);
        builder.HasIndex(c => new { c.Provider, c.ProviderCallId }).IsUnique();
    }
}
