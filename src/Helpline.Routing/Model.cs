using Helpline.Contracts;

namespace Helpline.Routing;

internal enum Presence
{
    Offline = 0,
    SignedIn = 1,
    Break = 2,
}

/// <summary>A contact the router holds: waiting, ringing, assigned, or lately ended.</summary>
internal sealed class RoutedContact(Guid id, ContactChannel channel, int priority, DateTimeOffset enteredAt, long sequence)
{
    public Guid Id { get; } = id;
    public ContactChannel Channel { get; } = channel;
    public int Priority { get; } = priority;
    public DateTimeOffset EnteredAt { get; } = enteredAt;

    /// <summary>Arrival order: breaks ties between equal priority and entry time.</summary>
    public long Sequence { get; } = sequence;

    public ContactState State { get; set; }

    /// <summary>Offered first to this advisor whenever they are eligible (<see cref="ContactArrived.PreferredAdvisorId"/>).</summary>
    public Guid? PreferredAdvisorId { get; init; }

    public Offer? Offer { get; set; }
    public RoutedAdvisor? Advisor { get; set; }
    public DateTimeOffset? AssignedAt { get; set; }
    public List<RoutedAdvisor> TriedBy { get; } = [];
}

/// <summary>An advisor the router knows: presence, status, the offer ringing and the work held.</summary>
internal sealed class RoutedAdvisor(Guid id, int index, Skills skills, int emailCapacity)
{
    public Guid Id { get; } = id;

    /// <summary>Registration order.</summary>
    public int Index { get; } = index;

    public Skills Skills { get; set; } = skills;
    public int EmailCapacity { get; set; } = emailCapacity;
    public Presence Presence { get; set; }
    public string? BreakReason { get; set; }

    /// <summary>Last status emitted; kept equal to the status computed from the fields after every change.</summary>
    public AdvisorStatus Status { get; set; }

    public string? StatusReason { get; set; }
    public Offer? LiveOffer { get; set; }
    public RoutedContact? CurrentCall { get; set; }
    public List<RoutedContact> OpenEmails { get; } = [];
    public DateTimeOffset? WrapUpEndsAt { get; set; }
    public DateTimeOffset? HandleStartedAt { get; set; }
    public AdvisorStatus? PendingStatus { get; set; }
    public string? PendingReason { get; set; }
    public DateTimeOffset IdleSince { get; set; }
    public int ConsecutiveMisses { get; set; }

    public bool IsBusy => CurrentCall is not null || WrapUpEndsAt is not null;
}

internal sealed class Offer(long id, RoutedContact contact, RoutedAdvisor advisor, DateTimeOffset offeredAt, DateTimeOffset expiresAt)
{
    public long Id { get; } = id;
    public RoutedContact Contact { get; } = contact;
    public RoutedAdvisor Advisor { get; } = advisor;
    public DateTimeOffset OfferedAt { get; } = offeredAt;
    public DateTimeOffset ExpiresAt { get; } = expiresAt;
}

/// <summary>Queue order: higher priority, then earlier entry time, then earlier arrival.</summary>
internal sealed class QueueOrder : IComparer<RoutedContact>
{
    public static readonly QueueOrder Instance = new();

    public int Compare(RoutedContact? x, RoutedContact? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null)
        {
            return -1;
        }

        if (y is null)
        {
            return 1;
        }

        var byPriority = y.Priority.CompareTo(x.Priority);
        if (byPriority != 0)
        {
            return byPriority;
        }

        var byEntry = x.EnteredAt.CompareTo(y.EnteredAt);
        return byEntry != 0 ? byEntry : x.Sequence.CompareTo(y.Sequence);
    }
}

internal enum TimerKind
{
    OfferTimeout = 0,
    WrapUpEnd = 1,
    MaxWait = 2,
}

internal readonly record struct TimerEntry(TimerKind Kind, DateTimeOffset Due, Offer? Offer, RoutedAdvisor? Advisor, RoutedContact? Contact);

/// <summary>
/// Timer order is a function of the state alone (due time, kind, then offer id, advisor order or contact
/// arrival), so a restored state fires simultaneous timers in the same order as the original.
/// </summary>
internal readonly record struct TimerKey(long DueTicks, TimerKind Kind, long Tiebreak) : IComparable<TimerKey>
{
    public int CompareTo(TimerKey other)
    {
        var byDue = DueTicks.CompareTo(other.DueTicks);
        if (byDue != 0)
        {
            return byDue;
        }

        var byKind = Kind.CompareTo(other.Kind);
        return byKind != 0 ? byKind : Tiebreak.CompareTo(other.Tiebreak);
    }
}

/// <summary>A dictionary that forgets its oldest entries beyond a capacity.</summary>
internal sealed class BoundedHistory<TKey, TValue>(int capacity)
    where TKey : notnull
{
    private readonly Dictionary<TKey, TValue> _entries = [];
    private readonly Queue<TKey> _order = new();

    public void Add(TKey key, TValue value)
    {
        if (capacity == 0 || !_entries.TryAdd(key, value))
        {
            return;
        }

        _order.Enqueue(key);
        if (_order.Count > capacity)
        {
            _entries.Remove(_order.Dequeue());
        }
    }

    public bool TryGetValue(TKey key, out TValue value) => _entries.TryGetValue(key, out value!);

    /// <summary>Forgets an entry (its place in the order goes when it would have been dropped).</summary>
    public void Remove(TKey key) => _entries.Remove(key);

    public void CopyTo(BoundedHistory<TKey, TValue> target)
    {
        foreach (var key in _order)
        {
            target.Add(key, _entries[key]);
        }
    }
}

/// <summary>The last N handle times of a channel and their mean.</summary>
internal sealed class HandleTimeWindow(int capacity)
{
    private readonly Queue<TimeSpan> _samples = new();
    private long _totalTicks;

    public void Add(TimeSpan sample)
    {
        if (sample < TimeSpan.Zero)
        {
            return;
        }

        _samples.Enqueue(sample);
        _totalTicks += sample.Ticks;
        if (_samples.Count > capacity)
        {
            _totalTicks -= _samples.Dequeue().Ticks;
        }
    }

    public TimeSpan MeanOr(TimeSpan fallback) =>
        _samples.Count == 0 ? fallback : TimeSpan.FromTicks(_totalTicks / _samples.Count);

    public IReadOnlyList<TimeSpan> ToList() => [.. _samples];
}
