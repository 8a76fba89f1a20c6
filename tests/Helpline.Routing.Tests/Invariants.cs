using System.Text.Json;
using Helpline.Contracts;
using Helpline.Routing;

namespace Helpline.Routing.Tests;

/// <summary>Invariants of a router state that must hold after every event.</summary>
internal static class Invariants
{
    /// <summary>The snapshot as text, without the clock: a rejected event still moves the clock to its time.</summary>
    public static string Describe(RouterSnapshot snapshot) => JsonSerializer.Serialize(snapshot with { AsOf = default });

    public static void Check(RouterState state)
    {
        var snapshot = state.ToSnapshot();
        var options = state.Options;
        var offeredContacts = new HashSet<Guid>();
        var heldContacts = new HashSet<Guid>();
        foreach (var advisor in snapshot.Advisors)
        {
            var calls = 0;
            if (advisor.LiveOffer is { } offer)
            {
                Assert.True(offeredContacts.Add(offer.ContactId), $"two live offers for contact {offer.ContactId}");
                Assert.Equal(ContactState.Offered, state.StateOf(offer.ContactId));
                if (ChannelOf(snapshot, offer.ContactId) == ContactChannel.Call)
                {
                    calls++;
                }

                Assert.Equal(AdvisorStatus.Offered, advisor.Status);
                Assert.Null(advisor.CurrentCall);
                Assert.Null(advisor.WrapUpEndsAt);
            }

            if (advisor.CurrentCall is { } call)
            {
                calls++;
                Assert.True(heldContacts.Add(call), $"contact {call} held twice");
                Assert.Equal(ContactState.Assigned, state.StateOf(call));
                Assert.Null(advisor.WrapUpEndsAt);
            }

            Assert.True(calls <= 1, $"advisor {advisor.AdvisorId} has {calls} calls");
            Assert.True(advisor.OpenEmails.Count <= advisor.EmailCapacity, $"advisor {advisor.AdvisorId} holds more emails than capacity");
            foreach (var email in advisor.OpenEmails)
            {
                Assert.True(heldContacts.Add(email), $"contact {email} held twice");
                Assert.Equal(ContactState.Assigned, state.StateOf(email));
            }

            Assert.Equal(ExpectedStatus(advisor, options), advisor.Status);
        }

        foreach (var channel in new[] { ContactChannel.Call, ContactChannel.Email })
        {
            if (state.CountWaiting(channel) == 0)
            {
                continue;
            }

            foreach (var advisor in snapshot.Advisors)
            {
                Assert.False(
                    IsEligible(advisor, channel, options),
                    $"not work-conserving: {channel} waits while advisor {advisor.AdvisorId} is available for it");
            }
        }

        var waiting = snapshot.Contacts.Count(c => state.StateOf(c.ContactId) == ContactState.Waiting);
        Assert.Equal(waiting, state.CountWaiting(ContactChannel.Call) + state.CountWaiting(ContactChannel.Email));
        Assert.Equal(snapshot.Contacts.Count, waiting + offeredContacts.Count + heldContacts.Count);
        if (state.NextDueAt is { } due)
        {
            Assert.True(due > state.Clock, "a timer due by now was not fired");
        }
    }

    public static bool IsEligible(AdvisorFact advisor, ContactChannel channel, RoutingOptions options) =>
        advisor.Status == AdvisorStatus.Available && (channel == ContactChannel.Call
            ? advisor.Skills.HasFlag(Skills.Calls) && (options.OfferCallsWhileEmailing || advisor.OpenEmails.Count == 0)
            : advisor.Skills.HasFlag(Skills.Emails) && advisor.OpenEmails.Count < advisor.EmailCapacity);

    private static AdvisorStatus ExpectedStatus(AdvisorFact advisor, RoutingOptions options)
    {
        if (advisor.Status is AdvisorStatus.Offline or AdvisorStatus.Break)
        {
            Assert.Null(advisor.LiveOffer);
            Assert.Null(advisor.CurrentCall);
            Assert.Null(advisor.WrapUpEndsAt);
            return advisor.Status;
        }

        if (advisor.LiveOffer is not null)
        {
            return AdvisorStatus.Offered;
        }

        if (advisor.CurrentCall is not null)
        {
            return AdvisorStatus.OnContact;
        }

        if (advisor.WrapUpEndsAt is not null)
        {
            return AdvisorStatus.WrapUp;
        }

        var canTakeSomething = IsEligible(advisor with { Status = AdvisorStatus.Available }, ContactChannel.Call, options)
            || IsEligible(advisor with { Status = AdvisorStatus.Available }, ContactChannel.Email, options);
        return advisor.OpenEmails.Count > 0 && !canTakeSomething ? AdvisorStatus.OnContact : AdvisorStatus.Available;
    }

    private static ContactChannel ChannelOf(RouterSnapshot snapshot, Guid contactId) =>
        snapshot.Contacts.Single(c => c.ContactId == contactId).Channel;
}

/// <summary>
/// What a host would persist from the decisions alone. It checks each decision against the contact's recorded
/// state (terminal states are final, offers only for waiting contacts, FIFO within a channel), and can be
/// compared with the router's own state.
/// </summary>
internal sealed class Ledger
{
    private readonly Dictionary<Guid, ContactRecord> _contacts = [];
    private readonly Dictionary<Guid, (AdvisorStatus Status, string? Reason)> _advisorStatus = [];
    private readonly Dictionary<ContactOutcome, int> _outcomes = [];

    /// <summary>How often each kind of decision (with its reason or outcome) was seen.</summary>
    public Dictionary<string, int> Seen { get; } = [];

    public int Received { get; private set; }

    public int Offers { get; private set; }

    public int Rejections { get; private set; }

    public int Answered { get; private set; }

    public int Count(ContactOutcome outcome) => _outcomes.GetValueOrDefault(outcome);

    public int Live => _contacts.Values.Count(c => c.State != ContactState.Ended);

    public int LiveIn(ContactState state) => _contacts.Values.Count(c => c.State == state);

    /// <summary>Records one Apply's decisions and checks them against the state it left.</summary>
    public void Record(RouterState state, IReadOnlyList<RoutingDecision> decisions)
    {
        var offered = new List<ContactRecord>();
        foreach (var decision in decisions)
        {
            var kind = Kind(decision);
            Seen[kind] = Seen.GetValueOrDefault(kind) + 1;
            switch (decision)
            {
                case ContactQueued d:
                    Assert.False(_contacts.ContainsKey(d.ContactId), $"contact {d.ContactId} queued twice");
                    _contacts[d.ContactId] = new ContactRecord(d.ContactId, d.Channel, d.Priority, d.EnteredAt, _contacts.Count) { State = ContactState.Waiting };
                    Received++;
                    break;
                case OfferMade d:
                    var contact = LiveRecord(d.ContactId);
                    Assert.Equal(ContactState.Waiting, contact.State);
                    contact.State = ContactState.Offered;
                    offered.Add(contact);
                    Offers++;
                    break;
                case OfferWithdrawn d:
                    Transition(d.ContactId, ContactState.Offered, ContactState.Waiting);
                    break;
                case ContactAssigned d:
                    Transition(d.ContactId, ContactState.Offered, ContactState.Assigned);
                    Answered++;
                    break;
                case AssignmentUndone d:
                    Transition(d.ContactId, ContactState.Assigned, ContactState.Waiting);
                    Answered--;
                    break;
                case ContactRequeued d:
                    Assert.Equal(ContactState.Waiting, LiveRecord(d.ContactId).State);
                    break;
                case ContactEnded d:
                    if (_contacts.TryGetValue(d.ContactId, out var ended))
                    {
                        Assert.NotEqual(ContactState.Ended, ended.State);
                        Assert.Equal(d.Outcome == ContactOutcome.Completed, ended.State == ContactState.Assigned);
                        ended.State = ContactState.Ended;
                    }
                    else
                    {
                        Assert.True(d.Outcome is ContactOutcome.NoAdvisors or ContactOutcome.Overflow, $"{d.Outcome} for a contact never queued");
                        _contacts[d.ContactId] = new ContactRecord(d.ContactId, d.Channel, 0, d.At, _contacts.Count) { State = ContactState.Ended };
                        Received++;
                    }

                    Assert.True(d.WaitTime >= TimeSpan.Zero);
                    _outcomes[d.Outcome] = Count(d.Outcome) + 1;
                    break;
                case AdvisorStatusChanged d:
                    Assert.NotEqual(_advisorStatus.GetValueOrDefault(d.AdvisorId, (AdvisorStatus.Offline, null)), (d.Status, d.Reason));
                    _advisorStatus[d.AdvisorId] = (d.Status, d.Reason);
                    break;
                case Rejected:
                    Rejections++;
                    break;
            }
        }

        foreach (var record in _contacts.Values)
        {
            if (record.State != ContactState.Ended)
            {
                Assert.Equal(record.State, state.StateOf(record.Id));
            }
        }

        foreach (var advisor in state.ToSnapshot().Advisors)
        {
            Assert.Equal((advisor.Status, advisor.BreakReason), _advisorStatus.GetValueOrDefault(advisor.AdvisorId, (AdvisorStatus.Offline, null)));
        }

        foreach (var contact in offered)
        {
            foreach (var other in _contacts.Values)
            {
                Assert.False(
                    other.State == ContactState.Waiting && other.Channel == contact.Channel && other.IsAheadOf(contact),
                    $"FIFO broken: {contact.Id} offered while {other.Id}, ahead of it, waits");
            }
        }
    }

    public static string Kind(RoutingDecision decision) => decision switch
    {
        OfferWithdrawn d => $"{nameof(OfferWithdrawn)}:{d.Reason}",
        AssignmentUndone d => $"{nameof(AssignmentUndone)}:{d.Reason}",
        ContactEnded d => $"{nameof(ContactEnded)}:{d.Outcome}:{d.Overflow}",
        AdvisorStatusChanged d => $"{nameof(AdvisorStatusChanged)}:{d.Status}:{d.Reason}",
        AdvisorStatusDeferred d => $"{nameof(AdvisorStatusDeferred)}:{d.Status}",
        Rejected d => $"{nameof(Rejected)}:{d.Code}",
        _ => decision.GetType().Name,
    };

    private ContactRecord LiveRecord(Guid contactId)
    {
        Assert.True(_contacts.TryGetValue(contactId, out var record), $"decision about unknown contact {contactId}");
        Assert.NotEqual(ContactState.Ended, record!.State);
        return record;
    }

    private void Transition(Guid contactId, ContactState from, ContactState to)
    {
        var record = LiveRecord(contactId);
        Assert.Equal(from, record.State);
        record.State = to;
    }

    private sealed record ContactRecord(Guid Id, ContactChannel Channel, int Priority, DateTimeOffset EnteredAt, int Order)
    {
        public ContactState State { get; set; }

        public bool IsAheadOf(ContactRecord other) =>
            Priority > other.Priority
            || (Priority == other.Priority && (EnteredAt < other.EnteredAt || (EnteredAt == other.EnteredAt && Order < other.Order)));
    }
}
