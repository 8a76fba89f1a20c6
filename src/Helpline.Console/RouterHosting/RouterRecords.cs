using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helpline.Console.RouterHosting;

/// <summary>
/// The router's state as of one transition (a <c>RouterSnapshot</c> as JSON), written every
/// <c>Routing:CheckpointEvery</c> transitions; the journal holds the transitions since.
/// </summary>
internal sealed class RouterCheckpoint
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
internal sealed class RouterJournalEntry
{
    public long Version { get; init; }

    /// <summary>The inputs as JSON: <c>[{ "at": ..., "event": { "$type": ..., ... } }]</c>.</summary>
    public required string Events { get; init; }

    public DateTimeOffset At { get; init; }
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
