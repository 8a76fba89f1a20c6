using System.Data;
using System.Text.Json;
using Helpline.Console.Data;
using Helpline.Routing;
using Microsoft.EntityFrameworkCore;

namespace Helpline.Console.RouterHosting;

/// <summary>One input the router applied, with the time it applied it at.</summary>
internal sealed record JournaledInput(DateTimeOffset At, RoutingEvent Event);

/// <summary>
/// The router's state in the database: the latest checkpoint plus the journal of transitions after
/// it. The core is deterministic, so replaying the journal's inputs at their recorded times gives
/// back exactly the state the routing instance had.
/// </summary>
internal static class RouterJournal
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Serialize(IReadOnlyList<JournaledInput> inputs) => JsonSerializer.Serialize(inputs, Json);

    public static string Serialize(RouterState state) => JsonSerializer.Serialize(state.ToSnapshot(), Json);

    /// <summary>The state as of the latest committed transition, read in one consistent snapshot of the database.</summary>
    public static async Task<LoadedState> LoadAsync(ConsoleDbContext db, RoutingOptions options, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        var checkpoint = await db.RouterCheckpoints.AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        var state = checkpoint is null
            ? new RouterState(options)
            : RouterState.Restore(JsonSerializer.Deserialize<RouterSnapshot>(checkpoint.Snapshot, Json)!, options);
        var loaded = new LoadedState(state, checkpoint?.Version ?? 0, checkpoint?.Version ?? 0, checkpoint?.UpdatedAt);
        return await ReplayAsync(db, loaded, cancellationToken);
    }

    /// <summary>
    /// Brings <paramref name="known"/> up to the latest committed transition by replaying only the
    /// journal after it; loads afresh when a newer checkpoint has pruned entries it would need.
    /// </summary>
    public static async Task<LoadedState> CatchUpAsync(ConsoleDbContext db, LoadedState known, RoutingOptions options, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        var checkpointVersion = await db.RouterCheckpoints.Select(c => (long?)c.Version).SingleOrDefaultAsync(cancellationToken) ?? 0;
        if (checkpointVersion > known.Version)
        {
            await transaction.RollbackAsync(cancellationToken);
            return await LoadAsync(db, options, cancellationToken);
        }

        return await ReplayAsync(db, known, cancellationToken);
    }

    private static async Task<LoadedState> ReplayAsync(ConsoleDbContext db, LoadedState loaded, CancellationToken cancellationToken)
    {
        var entries = await db.RouterJournal.AsNoTracking()
            .Where(e => e.Version > loaded.Version)
            .OrderBy(e => e.Version)
            .ToListAsync(cancellationToken);
        var version = loaded.Version;
        var asOf = loaded.AsOf;
        foreach (var entry in entries)
        {
            if (entry.Version != version + 1)
            {
                throw new InvalidOperationException($"The router journal has a gap after version {version}.");
            }

            foreach (var input in JsonSerializer.Deserialize<List<JournaledInput>>(entry.Events, Json)!)
            {
                Router.Apply(loaded.State, input.Event, input.At);
            }

            version = entry.Version;
            asOf = entry.At;
        }

        return loaded with { Version = version, AsOf = asOf };
    }
}

/// <param name="State">The router's state.</param>
/// <param name="Version">The latest transition applied to it.</param>
/// <param name="CheckpointVersion">The transition the database's checkpoint holds.</param>
/// <param name="AsOf">When that transition was committed (null before the first).</param>
internal sealed record LoadedState(RouterState State, long Version, long CheckpointVersion, DateTimeOffset? AsOf);
