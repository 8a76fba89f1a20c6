using System.Collections.Concurrent;

namespace Helpline.FaultCampaign;

/// <summary>One call the provider placed: its id, and what became of it as the provider and the advisors saw it.</summary>
internal sealed class PlacedCall(string providerCallId)
{
    private long _offeredAt;

    public string ProviderCallId { get; } = providerCallId;

    /// <summary>The contact Intake's 2xx named; null while (or if never) accepted.</summary>
    public Guid? ContactId { get; private set; }

    public DateTimeOffset AcceptedAt { get; private set; }

    /// <summary>When an advisor first heard of it (an offer), as <see cref="DateTimeOffset.UtcTicks"/>; 0 before.</summary>
    public long OfferedAtTicks => Interlocked.Read(ref _offeredAt);

    /// <summary>Completed when an advisor has it (ContactAssigned).</summary>
    public TaskCompletionSource Assigned { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Accept(Guid contactId, DateTimeOffset at)
    {
        AcceptedAt = at;
        ContactId = contactId;
    }

    public void Offered(DateTimeOffset at) => Interlocked.CompareExchange(ref _offeredAt, at.UtcTicks, 0);
}

/// <summary>An offer as one advisor saw it: from its arrival until it was taken, withdrawn, expired or its connection died.</summary>
internal sealed record OfferSpan(Guid ContactId, string Advisor, DateTimeOffset From, DateTimeOffset To);

/// <summary>Everything the campaign's provider and advisors saw, safe to add to from any thread.</summary>
internal sealed class CallLedger
{
    private readonly ConcurrentDictionary<Guid, PlacedCall> _byContact = new();
    private readonly ConcurrentBag<PlacedCall> _placed = [];
    private readonly ConcurrentBag<OfferSpan> _offers = [];
    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<string, byte>> _holders = new();

    public IReadOnlyCollection<PlacedCall> Placed => _placed;

    public IReadOnlyCollection<OfferSpan> Offers => _offers;

    public PlacedCall Place(string providerCallId)
    {
        var call = new PlacedCall(providerCallId);
        _placed.Add(call);
        return call;
    }

    public void Accepted(PlacedCall call, Guid contactId)
    {
        call.Accept(contactId, DateTimeOffset.UtcNow);
        _byContact[contactId] = call;
    }

    public void Offered(Guid contactId) => Find(contactId)?.Offered(DateTimeOffset.UtcNow);

    public void OfferEnded(OfferSpan span) => _offers.Add(span);

    public void AssignedTo(Guid contactId, string advisor)
    {
        _holders.GetOrAdd(contactId, _ => new()).TryAdd(advisor, 0);
        Find(contactId)?.Assigned.TrySetResult();
    }

    public void Unassigned(Guid contactId, string advisor)
    {
        if (_holders.TryGetValue(contactId, out var holders))
        {
            holders.TryRemove(advisor, out _);
        }
    }

    /// <summary>Contacts more than one advisor held (an assignment nobody took back).</summary>
    public int HeldTwice => _holders.Values.Count(holders => holders.Count > 1);

    /// <summary>Contacts offered to two advisors at once: two advisors' offer spans overlapping.</summary>
    public int OfferedTwiceAtOnce =>
        _offers.GroupBy(span => span.ContactId).Count(spans =>
        {
            var all = spans.ToList();
            return all.Any(first => all.Any(second => second.Advisor != first.Advisor && second.From < first.To && first.From < second.To));
        });

    /// <summary>Whether a call accepted after <paramref name="since"/> has been offered to an advisor.</summary>
    public bool OfferedAcceptedSince(DateTimeOffset since) =>
        _byContact.Values.Any(call => call.AcceptedAt > since && call.OfferedAtTicks > 0);

    private PlacedCall? Find(Guid contactId) => _byContact.GetValueOrDefault(contactId);
}
