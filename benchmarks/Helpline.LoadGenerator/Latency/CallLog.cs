using System.Collections.Concurrent;
using System.Diagnostics;

namespace Helpline.LoadGenerator.Latency;

/// <summary>
/// Every call the run posted, and every contact an advisor was offered, by contact id. An offer can
/// arrive before the 202 that names its contact has been read, so either side may create the entry.
/// </summary>
internal sealed class CallLog
{
    private readonly ConcurrentDictionary<Guid, CallRecord> _calls = new();

    public void Accepted(Guid contactId, string providerCallId, long sentAt, long acceptedAt, bool measured) =>
        _calls.GetOrAdd(contactId, _ => new CallRecord()).Accept(providerCallId, sentAt, acceptedAt, measured);

    public void Offered(Guid contactId, long receivedAt) => _calls.GetOrAdd(contactId, _ => new CallRecord()).Offer(receivedAt);

    /// <summary>An advisor completed the contact (CompleteContact was applied).</summary>
    public void Completed(Guid contactId) => _calls.GetOrAdd(contactId, _ => new CallRecord()).Complete();

    /// <summary>Calls this run posted (warm-up included).</summary>
    public IReadOnlyList<CallRecord> Posted => _calls.Values.Where(call => call.ProviderCallId is not null).ToList();

    /// <summary>Contacts offered to this run's advisors that this run did not post (left over from an earlier run).</summary>
    public int Foreign => _calls.Values.Count(call => call.ProviderCallId is null);
}

/// <summary>One call's timestamps (<see cref="Stopwatch.GetTimestamp"/>): sent, accepted with 202, first offered.</summary>
internal sealed class CallRecord
{
    private long _firstOfferAt;
    private int _offers;
    private volatile bool _completed;

    public string? ProviderCallId { get; private set; }

    public bool Measured { get; private set; }

    public long SentAt { get; private set; }

    public long AcceptedAt { get; private set; }

    public int Offers => Volatile.Read(ref _offers);

    public bool IsOffered => Volatile.Read(ref _firstOfferAt) != 0;

    public bool IsCompleted => _completed;

    public TimeSpan SentToAccepted => Stopwatch.GetElapsedTime(SentAt, AcceptedAt);

    /// <summary>From the 202 to the first ContactOffered; only meaningful when <see cref="IsOffered"/>.</summary>
    public TimeSpan AcceptedToOffered => Stopwatch.GetElapsedTime(AcceptedAt, Volatile.Read(ref _firstOfferAt));

    public TimeSpan SentToOffered => Stopwatch.GetElapsedTime(SentAt, Volatile.Read(ref _firstOfferAt));

    public void Accept(string providerCallId, long sentAt, long acceptedAt, bool measured)
    {
        SentAt = sentAt;
        AcceptedAt = acceptedAt;
        Measured = measured;
        ProviderCallId = providerCallId;
    }

    public void Offer(long receivedAt)
    {
        Interlocked.CompareExchange(ref _firstOfferAt, receivedAt, 0);
        Interlocked.Increment(ref _offers);
    }

    public void Complete() => _completed = true;
}
