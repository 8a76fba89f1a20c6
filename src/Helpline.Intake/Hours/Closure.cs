using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helpline.Intake.Hours;

/// <summary>
/// A special closure a supervisor added in Console (a training afternoon): calls in it are out of hours.
/// Written only by <see cref="SpecialClosureConsumers"/>; a cancelled one stays, with <see cref="CancelledAt"/>, so a late copy of its scheduling does not bring it back.
/// </summary>
internal sealed class Closure
{
    public const int MaxReasonLength = 200;

    public Guid Id { get; init; }

    public DateTimeOffset StartsAt { get; init; }

    public DateTimeOffset EndsAt { get; init; }

    /// <summary>Why the helpline is closed, for supervisors (never caller data).</summary>
    public required string Reason { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? CancelledAt { get; set; }
}

internal sealed class ClosureConfiguration : IEntityTypeConfiguration<Closure>
{
    public void Configure(EntityTypeBuilder<Closure> builder)
    {
        builder.ToTable("closures");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Reason).HasMaxLength(Closure.MaxReasonLength);
        builder.HasIndex(c => c.EndsAt);
    }
}
