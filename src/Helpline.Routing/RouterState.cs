using Helpline.Contracts;

namespace Helpline.Routing;

/// <summary>
/// The router's mutable state. Change it only through <see cref="Router.Apply"/>; the host owns it and must not
/// share it between threads.
/// </summary>
public sealed partial class RouterState
{
    private const Skills KnownSkills = Skills.Calls | Skills.Emails;
    private static readonly TimeSpan MaxWrapUpExtension = TimeSpan.FromHours(8);

    private readonly Dictionary<Guid, RoutedAdvisor> _advisorsById = [];
    private readonly List<RoutedAdvisor> _advisors = [];
    private readonly Dictionary<Guid, RoutedContact> _contacts = [];
    private readonly SortedSet<RoutedContact> _waitingCalls = new(QueueOrder.Instance);
    private readonly SortedSet<RoutedContact> _waitingEmails = new(QueueOrder.Instance);
    private readonly Dictionary<long, Offer> _liveOffers = [];
    private readonly PriorityQueue<TimerEntry, TimerKey> _timers = new();
    private readonly BoundedHistory<Guid, ContactOutcome> _endedContacts;
    private readonly BoundedHistory<long, OfferOutcome> _endedOffers;
    private readonly HandleTimeWindow _callHandleTimes;
    private readonly HandleTimeWindow _emailHandleTimes;
    private long _nextOfferId = 1;
    private long _nextContactSequence;
    private int _lastCallAdvisorIndex = -1;
    private int _lastEmailAdvisorIndex = -1;
    private DateTimeOffset _clock;

    /// <summary>An empty state: no advisors, no contacts.</summary>
    public RouterState(RoutingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _endedContacts = new(options.EndedHistoryCapacity);
        _endedOffers = new(options.EndedHistoryCapacity);
        _callHandleTimes = new(options.HandleTimeSamples);
        _emailHandleTimes = new(options.HandleTimeSamples);
    }

    private enum OfferOutcome
    {
        Accepted,
        Declined,
        TimedOut,
        Withdrawn,
    }

    public RoutingOptions Options { get; }

    /// <summary>The latest time applied; a later event with an earlier time is treated as happening now.</summary>
    public DateTimeOffset Clock => _clock;

    /// <summary>When the earliest timer is due: schedule one <see cref="Tick"/> for then. Null when none is.</summary>
    public DateTimeOffset? NextDueAt =>
        _timers.TryPeek(out _, out var key) ? new DateTimeOffset(key.DueTicks, TimeSpan.Zero) : null;

    /// <summary>Contacts waiting (not ringing) in the channel.</summary>
    public int CountWaiting(ContactChannel channel) => Waiting(channel).Count;

    /// <summary>Where the contact is, or null when the router does not know it (or has forgotten that it ended).</summary>
    public ContactState? StateOf(Guid contactId)
    {
        if (_contacts.TryGetValue(contactId, out var contact))
        {
            return contact.State;
        }

        return _endedContacts.TryGetValue(contactId, out _) ? ContactState.Ended : null;
    }

    /// <summary>The outcome of a contact that ended recently enough to be remembered.</summary>
    public ContactOutcome? OutcomeOf(Guid contactId) =>
        _endedContacts.TryGetValue(contactId, out var outcome) ? outcome : null;

    public AdvisorFact? FindAdvisor(Guid advisorId) =>
        _advisorsById.TryGetValue(advisorId, out var advisor) ? ToFact(advisor) : null;

    /// <summary>The contact's place in its queue, or null when it is not waiting or ringing.</summary>
    public QueueEntry? PositionOf(Guid contactId, DateTimeOffset now)
    {
        if (!_contacts.TryGetValue(contactId, out var contact))
        {
            return null;
        }

        switch (contact.State)
        {
            case ContactState.Offered:
                return Entry(contact, 0, now);
            case ContactState.Waiting:
                var position = 1;
                foreach (var ahead in Waiting(contact.Channel))
                {
                    if (ReferenceEquals(ahead, contact))
                    {
                        break;
                    }

                    position++;
                }

                return Entry(contact, position, now);
            default:
                return null;
        }
    }

    /// <summary>The channel's waiting and ringing contacts in queue order.</summary>
    public IReadOnlyList<QueueEntry> QueueSnapshot(ContactChannel channel, DateTimeOffset now)
    {
        var inQueue = new List<RoutedContact>(Waiting(channel));
        foreach (var offer in _liveOffers.Values)
        {
            if (offer.Contact.Channel == channel)
            {
                inQueue.Add(offer.Contact);
            }
        }

        inQueue.Sort(QueueOrder.Instance);
        var entries = new List<QueueEntry>(inQueue.Count);
        var position = 0;
        foreach (var contact in inQueue)
        {
            entries.Add(Entry(contact, contact.State == ContactState.Waiting ? ++position : 0, now));
        }

        return entries;
    }

    /// <summary>
    /// Estimated wait for the contact at a 1-based waiting position: position × mean recent handle time ÷ servers,
    /// where servers are the signed-in advisors not on break with the skill (for email, their summed capacity).
    /// </summary>
    public TimeSpan? EstimateWait(ContactChannel channel, int position)
    {
        if (position <= 0)
        {
            return TimeSpan.Zero;
        }

        long servers = 0;
        foreach (var advisor in _advisors)
        {
            if (advisor.Presence != Presence.SignedIn)
            {
                continue;
            }

            if (channel == ContactChannel.Call && (advisor.Skills & Skills.Calls) != 0)
            {
                servers++;
            }
            else if (channel == ContactChannel.Email && (advisor.Skills & Skills.Emails) != 0)
            {
                servers += advisor.EmailCapacity;
            }
        }

        if (servers == 0)
        {
            return null;
        }

        var meanHandle = channel == ContactChannel.Call
            ? _callHandleTimes.MeanOr(Options.DefaultCallHandleTime)
            : _emailHandleTimes.MeanOr(Options.DefaultEmailHandleTime);
        return TimeSpan.FromTicks(meanHandle.Ticks * position / servers);
    }

    private QueueEntry Entry(RoutedContact contact, int position, DateTimeOffset now) => new(
        contact.Id,
        contact.Channel,
        contact.Priority,
        contact.EnteredAt,
        now > contact.EnteredAt ? now - contact.EnteredAt : TimeSpan.Zero,
        position,
        EstimateWait(contact.Channel, position),
        contact.Offer?.Advisor.Id);

    private SortedSet<RoutedContact> Waiting(ContactChannel channel) => channel == ContactChannel.Call ? _waitingCalls : _waitingEmails;
}
