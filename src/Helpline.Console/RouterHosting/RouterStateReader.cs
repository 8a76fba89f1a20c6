using Helpline.Console.Data;
using Helpline.Routing;
using Microsoft.Extensions.Options;

namespace Helpline.Console.RouterHosting;

/// <summary>
/// The router's state as of its latest committed transition, for readers on any instance (the
/// advisor hub's resync, the supervisors' queue view). Keeps its own copy and replays only the
/// journal entries committed since the previous read.
/// </summary>
internal sealed class RouterStateReader(IOptions<RoutingSettings> settings) : IDisposable
{
    private readonly RoutingOptions _options = settings.Value.ToOptions();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private LoadedState? _known;

    /// <summary>Runs <paramref name="read"/> on the latest state and the time of its transition (null before the first).</summary>
    public async Task<T> ReadAsync<T>(ConsoleDbContext db, Func<RouterState, DateTimeOffset?, T> read, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            _known = _known is null
                ? await RouterJournal.LoadAsync(db, _options, cancellationToken)
                : await RouterJournal.CatchUpAsync(db, _known, _options, cancellationToken);
            return read(_known.State, _known.AsOf);
        }
        catch
        {
            _known = null;
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
