using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helpline.Console.Routing;

/// <summary>
/// One step in a contact's life, appended by the router's transition that caused it (the role
/// Asterisk's queue_log plays). Reports are SQL over these rows.
/// </summary>
public sealed class ContactEvent
{
    public long Id { get; private set; }

    public Guid ContactId { get; init; }

    /// <summary>Received, Queued, Offered, OfferDeclined, OfferTimedOut, OfferWithdrawn, Assigned, Answered, AssignmentUndone, Requeued, Ended, CallbackRequested.</summary>
    public required string Type { get; init; }

    public Guid? AdvisorId { get; init; }

    public long? OfferId { get; init; }

    /// <summary>For Ended: Completed, Abandoned, Overflow, NoAdvisors, OutOfHours.</summary>
    public string? Outcome { get; init; }

    /// <summary>Why (an overflow reason, a withdrawal reason, an undo reason).</summary>
    public string? Reason { get; init; }

    /// <summary>Seconds waited since the contact entered the queue, for Assigned and Ended.</summary>
    public double? WaitSeconds { get; init; }

    public DateTimeOffset At { get; init; }
}

/// <summary>An advisor's change of state, with its time: staffed-time reports are built from these.</summary>
public sealed class AdvisorEvent
{
    public long Id { get; private set; }

    public Guid AdvisorId { get; init; }

    public required string Status { get; init; }

    public string? Reason { get; init; }

    public DateTimeOffset At { get; init; }
}

/// <summary>
/// The router's state as of one transition (a <c>RouterSnapshot</c> as JSON), written every
/// <c>Routing:CheckpointEvery</c> transitions; the journal holds the transitions since.
/// </summary>
public sealed class RouterCheckpoint
{
    public const int SingletonId = 1;

    public int Id { get; init; } = SingletonId;

    public long Version { get; set; }

    public required string Snapshot { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// One committed transition's inputs, in order, each with the time it was applied at. The router is
/// deterministic, so the latest checkpoint plus the journal after it rebuilds the state. The version
/// is the key: an instance that did not see the latest transition fails to insert its own and reloads.
/// </summary>
public sealed class RouterJournalEntry
{
    public long Version { get; init; }

    /// <summary>The inputs as JSON: <c>[{ "at": ..., "event": { "$type": ..., ... } }]</c>.</summary>
    public required string Events { get; init; }

    public DateTimeOffset At { get; init; }
}

internal sealed class ContactEventConfiguration : IEntityTypeConfiguration<ContactEvent>
{
    public void Configure(EntityTypeBuilder<ContactEvent> builder)
    {
        builder.ToTable("contact_events");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).UseIdentityAlwaysColumn();
        builder.Property(e => e.Type).HasMaxLength(32);
        builder.Property(e => e.Outcome).HasMaxLength(32);
        builder.Property(e => e.Reason).HasMaxLength(64);
        builder.HasIndex(e => new { e.ContactId, e.Id });
        builder.HasIndex(e => e.At);
    }
}

internal sealed class AdvisorEventConfiguration : IEntityTypeConfiguration<AdvisorEvent>
{
    public void Configure(EntityTypeBuilder<AdvisorEvent> builder)
    {
        builder.ToTable("advisor_events");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).UseIdentityAlwaysColumn();
        builder.Property(e => e.Status).HasMaxLength(16);
        builder.Property(e => e.Reason).HasMaxLength(64);
        builder.HasIndex(e => new { e.AdvisorId, e.At });
    }
}

internal sealed class RouterCheckpointConfiguration : IEntityTypeConfiguration<RouterCheckpoint>
{
    public void Configure(EntityTypeBuilder<RouterCheckpoint> builder)
    {
        builder.ToTable("router_checkpoints");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.Snapshot).HasColumnType("jsonb");
        builder.Property(c => c.Version).IsConcurrencyToken();
    }
}

internal sealed class RouterJournalEntryConfiguration : IEntityTypeConfiguration<RouterJournalEntry>
{
    public void Configure(EntityTypeBuilder<RouterJournalEntry> builder)
    {
        builder.ToTable("router_journal");
        builder.HasKey(e => e.Version);
        builder.Property(e => e.Version).ValueGeneratedNever();
        builder.Property(e => e.Events).HasColumnType("jsonb");
    }
}
