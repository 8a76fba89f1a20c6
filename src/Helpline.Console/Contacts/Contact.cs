using Helpline.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helpline.Console.Contacts;

/// <summary>Where a contact stands now. The history is in <c>contact_events</c>.</summary>
internal enum ContactStatus
{
    Queued = 0,
    Offered = 1,
    Assigned = 2,
    Completed = 3,
    Abandoned = 4,
    Overflow = 5,
    NoAdvisors = 6,
    OutOfHours = 7,
}

/// <summary>A call or email conversation as Console works it; its id is the one Intake gave it.</summary>
internal sealed class Contact
{
    public Guid Id { get; init; }

    public ContactChannel Channel { get; init; }

    public required string ProviderReference { get; init; }

    /// <summary>Keyed hash of the caller's number or address; null when withheld.</summary>
    public string? CallerKey { get; init; }

    public DateTimeOffset ReceivedAt { get; init; }

    /// <summary>When Console took the contact in.</summary>
    public DateTimeOffset QueuedAt { get; init; }

    public ContactStatus Status { get; set; }

    /// <summary>The advisor the contact is offered or assigned to, or who completed it.</summary>
    public Guid? AdvisorId { get; set; }

    public DateTimeOffset? EndedAt { get; set; }
}

internal sealed class ContactConfiguration : IEntityTypeConfiguration<Contact>
{
    public void Configure(EntityTypeBuilder<Contact> builder)
    {
        builder.ToTable("contacts");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.Channel).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.ProviderReference).HasMaxLength(256);
        builder.Property(c => c.CallerKey).HasMaxLength(64);
        builder.HasIndex(c => c.CallerKey);
        builder.HasIndex(c => c.Status);
    }
}
