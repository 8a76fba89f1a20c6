using System.Collections.Concurrent;

namespace Helpline.LoadGenerator.Simulation;

/// <summary>
/// What the advisors saw of each call, by contact id, shared with the caller waiting on it. An offer
/// can arrive before the caller has read its 202, so either side may create the entry.
/// </summary>
internal sealed class CallBook
{
    private readonly ConcurrentDictionary<Guid, SimulatedCall> _calls = new();

    public SimulatedCall For(Guid contactId) => _calls.GetOrAdd(contactId, _ => new SimulatedCall());
}

internal sealed class SimulatedCall
{
    private readonly TaskCompletionSource _answered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _offers;

    /// <summary>Completes when an advisor's accept was confirmed (ContactAssigned): the call is being connected.</summary>
    public Task Answered => _answered.Task;

    public bool WasOffered => Volatile.Read(ref _offers) > 0;

    public void Offered() => Interlocked.Increment(ref _offers);

    public void Answer() => _answered.TrySetResult();
}
