using Helpline.Console.Data;
using Microsoft.EntityFrameworkCore;

namespace Helpline.Console.Directory;

/// <summary>The whole directory at one revision (the id of its latest change), read-only.</summary>
internal sealed record DirectorySnapshot(
    long Revision,
    IReadOnlyList<SupportService> Services,
    IReadOnlyDictionary<string, CommissioningBody> Bodies,
    IReadOnlyDictionary<string, ForceArea> ForceAreas)
{
    public SupportService? Service(string id) => Services.FirstOrDefault(s => s.Id == id);
}

/// <summary>
/// The directory held in memory for matching, reloaded whenever it has changed: each use asks the
/// database for the latest change's id (one index lookup), so every Console instance sees an edit
/// made on another at its next use. The entities it holds are never modified.
/// </summary>
internal sealed class DirectoryCatalog : IDisposable
{
    private readonly SemaphoreSlim _loading = new(1, 1);
    private volatile DirectorySnapshot? _current;

    public async Task<DirectorySnapshot> CurrentAsync(ConsoleDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var revision = await RevisionAsync(db, cancellationToken);
        if (_current is { } current && current.Revision == revision)
        {
            return current;
        }

        await _loading.WaitAsync(cancellationToken);
        try
        {
            if (_current is { } loaded && loaded.Revision == revision)
            {
                return loaded;
            }

            // Read inside one snapshot so that the revision and the rows agree (or in the caller's transaction).
            await using var transaction = db.Database.CurrentTransaction is null
                ? await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken)
                : null;
            revision = await RevisionAsync(db, cancellationToken);
            var services = await db.Set<SupportService>().AsNoTracking().OrderBy(s => s.Id).ToListAsync(cancellationToken);
            var bodies = await db.Set<CommissioningBody>().AsNoTracking().ToDictionaryAsync(b => b.Id, StringComparer.Ordinal, cancellationToken);
            var forces = await db.Set<ForceArea>().AsNoTracking().ToDictionaryAsync(f => f.Code, StringComparer.OrdinalIgnoreCase, cancellationToken);
            if (transaction is not null)
            {
                await transaction.CommitAsync(cancellationToken);
            }

            var snapshot = new DirectorySnapshot(revision, services, bodies, forces);
            _current = snapshot;
            return snapshot;
        }
        finally
        {
            _loading.Release();
        }
    }

    public void Dispose() => _loading.Dispose();

    private static async Task<long> RevisionAsync(ConsoleDbContext db, CancellationToken cancellationToken) =>
        await db.Set<DirectoryChange>().MaxAsync(c => (long?)c.Id, cancellationToken) ?? 0;
}
