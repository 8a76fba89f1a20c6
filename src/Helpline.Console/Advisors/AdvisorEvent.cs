using Helpline.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helpline.Console.Advisors;

/// <summary>An advisor's change of state, with its time: staffed-time reports are built from these.</summary>
internal sealed class AdvisorEvent
{
    public long Id { get; private set; }

    public Guid AdvisorId { get; init; }

    /// <summary>The status the advisor went into; stored by name (<c>advisor_events.status</c>).</summary>
    public required AdvisorStatus Status { get; init; }

    /// <summary>The break reason, for Break.</summary>
    public string? Reason { get; init; }

    public DateTimeOffset At { get; init; }
}

internal sealed class AdvisorEventConfiguration : IEntityTypeConfiguration<AdvisorEvent>
{
    public void Configure(EntityTypeBuilder<AdvisorEvent> builder)
    {
        builder.ToTable("advisor_events");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).UseIdentityAlwaysColumn();
        builder.Property(e => e.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.Reason).HasMaxLength(64);
        builder.HasIndex(e => new { e.AdvisorId, e.At });
    }
}
