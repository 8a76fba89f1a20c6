using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helpline.Console.Hours;

/// <summary>
/// A special closure a supervisor added (a training afternoon); Console keeps it and tells Intake
/// (<see cref="Contracts.SpecialClosureScheduled"/>), which turns calls in it away as out of hours.
/// Cancelled, not deleted: the row stays, with who cancelled it.
/// </summary>
internal sealed class SpecialClosure
{
    public const int MaxReasonLength = 200;

    public Guid Id { get; init; }

    public DateTimeOffset StartsAt { get; init; }

    public DateTimeOffset EndsAt { get; init; }

    /// <summary>Why the helpline is closed, for supervisors (never caller data).</summary>
    public required string Reason { get; init; }

    public Guid CreatedBy { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public Guid? CancelledBy { get; set; }

    public DateTimeOffset? CancelledAt { get; set; }
}

internal sealed class SpecialClosureConfiguration : IEntityTypeConfiguration<SpecialClosure>
{
    public void Configure(EntityTypeBuilder<SpecialClosure> builder)
    {
        builder.ToTable("special_closures");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Reason).HasMaxLength(SpecialClosure.MaxReasonLength);
        builder.HasIndex(c => c.EndsAt);
    }
}
