using Helpline.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helpline.Console.Contacts;

/// <summary>A call or email conversation as Console works it; its id is the one Intake gave it.</summary>
public sealed class Contact
{
    public Guid Id { get; init; }

    public ContactChannel Channel { get; init; }

    public required string ProviderReference { get; init; }

    /// <summary>Keyed hash of the caller's number or address; null when withheld.</summary>
    public string? CallerKey { get; init; }

    public DateTimeOffset ReceivedAt { get; init; }

    /// <summary>When Console took the contact in (the queue entry time).</summary>
    public DateTimeOffset QueuedAt { get; init; }
}

internal sealed class ContactConfiguration : IEntityTypeConfiguration<Contact>
{
    public void Configure(EntityTypeBuilder<Contact> builder)
    {
        builder.ToTable("contacts");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.Channel).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.ProviderReference).HasMaxLength(256);
        builder.Property(c => c.CallerKey).HasMaxLength(64);
        builder.HasIndex(c => c.CallerKey);
    }
}
