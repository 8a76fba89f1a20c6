using System.Collections.Concurrent;

namespace Helpline.LoadGenerator;

/// <summary>Named counts of what happened (refusals, withdrawals, failures), safe to add to from any thread.</summary>
internal sealed class Counters
{
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);

    public void Add(string name) => _counts.AddOrUpdate(name, 1, (_, count) => count + 1);

    public long this[string name] => _counts.GetValueOrDefault(name);

    public IEnumerable<KeyValuePair<string, long>> All => _counts.OrderBy(pair => pair.Key, StringComparer.Ordinal);
}
