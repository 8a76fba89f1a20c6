namespace Helpline.ServiceDefaults.Outbox;

/// <summary>
/// Wakes the dispatcher as soon as a transaction commits an outbox row, so publishing does not
/// wait for the next poll. Polling stays as the fallback (other replicas' rows, missed signals).
/// </summary>
public sealed class OutboxSignal : IDisposable
{
    private readonly SemaphoreSlim _pending = new(0, 1);

    public void Notify()
    {
        try
        {
            _pending.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: the dispatcher will drain everything committed so far.
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _pending.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _pending.Dispose();
}
