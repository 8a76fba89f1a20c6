using Helpline.Contracts;

namespace Helpline.Routing;

public sealed partial class RouterState
{
    /// <summary>The facts to persist; <see cref="Restore"/> rebuilds an equivalent state from them.</summary>
    public RouterSnapshot ToSnapshot()
    {
        var contacts = new List<RoutedContact>(_contacts.Values);
        contacts.Sort((x, y) => x.Sequence.CompareTo(y.Sequence));
        var contactFacts = new List<ContactFact>(contacts.Count);
        foreach (var contact in contacts)
        {
            contactFacts.Add(new ContactFact(contact.Id, contact.Channel, contact.Priority, contact.EnteredAt)
            {
                AssignedAt = contact.AssignedAt,
                TriedBy = contact.TriedBy.ConvertAll(advisor => advisor.Id),
            });
        }

        return new RouterSnapshot
        {
            Contacts = contactFacts,
            Advisors = _advisors.ConvertAll(ToFact),
            NextOfferId = _nextOfferId,
            AsOf = _clock,
            LastCallOfferedTo = _lastCallAdvisorIndex >= 0 ? _advisors[_lastCallAdvisorIndex].Id : null,
            LastEmailOfferedTo = _lastEmailAdvisorIndex >= 0 ? _advisors[_lastEmailAdvisorIndex].Id : null,
            RecentCallHandleTimes = _callHandleTimes.ToList(),
            RecentEmailHandleTimes = _emailHandleTimes.ToList(),
        };
    }

    /// <summary>A deep copy, remembering the same ended contacts and offers.</summary>
    public RouterState Clone()
    {
        var copy = Restore(ToSnapshot(), Options);
        _endedContacts.CopyTo(copy._endedContacts);
        _endedOffers.CopyTo(copy._endedOffers);
        return copy;
    }

    /// <summary>
    /// Rebuilds a state from persisted facts, throwing <see cref="ArgumentException"/> when they contradict each
    /// other. Restore makes no offers and fires no timers: apply a <see cref="Tick"/> at the current time next.
    /// Ended contacts and offers are not part of the facts, so late commands about them are rejected as unknown
    /// or not live rather than as already ended or expired.
    /// </summary>
    public static RouterState Restore(RouterSnapshot snapshot, RoutingOptions options)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(options);
        var state = new RouterState(options) { _clock = snapshot.AsOf };
        foreach (var fact in snapshot.Contacts)
        {
            state.RestoreContact(fact);
        }

        foreach (var fact in snapshot.Advisors)
        {
            state.RestoreAdvisor(fact);
        }

        foreach (var fact in snapshot.Contacts)
        {
            var contact = state._contacts[fact.ContactId];
            foreach (var advisorId in fact.TriedBy)
            {
                contact.TriedBy.Add(state._advisorsById.TryGetValue(advisorId, out var advisor)
                    ? advisor
                    : throw Invalid($"contact {fact.ContactId} was tried by unknown advisor {advisorId}"));
            }

            if (contact.State == ContactState.Waiting)
            {
                if (fact.AssignedAt is not null)
                {
                    throw Invalid($"contact {fact.ContactId} has an assignment time but no advisor holds it");
                }

                state.Enqueue(contact);
            }
        }

        foreach (var advisor in state._advisors)
        {
            state.VerifyStatus(advisor, snapshot.Advisors[advisor.Index]);
            if (advisor.WrapUpEndsAt is not null)
            {
                state.ScheduleWrapUpEnd(advisor);
            }
        }

        foreach (var offer in state._liveOffers.Values)
        {
            state.ScheduleOfferTimeout(offer);
            state._nextOfferId = Math.Max(state._nextOfferId, offer.Id + 1);
        }

        state._nextOfferId = Math.Max(state._nextOfferId, snapshot.NextOfferId);
        state._lastCallAdvisorIndex = state.IndexOf(snapshot.LastCallOfferedTo);
        state._lastEmailAdvisorIndex = state.IndexOf(snapshot.LastEmailOfferedTo);
        foreach (var sample in snapshot.RecentCallHandleTimes)
        {
            state._callHandleTimes.Add(sample);
        }

        foreach (var sample in snapshot.RecentEmailHandleTimes)
        {
            state._emailHandleTimes.Add(sample);
        }

        state.PruneStaleTimers();
        return state;
    }

    private void RestoreContact(ContactFact fact)
    {
        ArgumentNullException.ThrowIfNull(fact);
        if (!Enum.IsDefined(fact.Channel))
        {
            throw Invalid($"contact {fact.ContactId} has unknown channel {fact.Channel}");
        }

        var contact = new RoutedContact(fact.ContactId, fact.Channel, fact.Priority, fact.EnteredAt, _nextContactSequence++);
        if (!_contacts.TryAdd(contact.Id, contact))
        {
            throw Invalid($"contact {fact.ContactId} is listed twice");
        }

        contact.AssignedAt = fact.AssignedAt;
    }

    private void RestoreAdvisor(AdvisorFact fact)
    {
        ArgumentNullException.ThrowIfNull(fact);
        if ((fact.Skills & ~KnownSkills) != 0 || fact.EmailCapacity < 0)
        {
            throw Invalid($"advisor {fact.AdvisorId} has invalid skills or email capacity");
        }

        var advisor = new RoutedAdvisor(fact.AdvisorId, _advisors.Count, fact.Skills, fact.EmailCapacity)
        {
            Presence = fact.Status switch
            {
                AdvisorStatus.Offline => Presence.Offline,
                AdvisorStatus.Break => Presence.Break,
                _ => Presence.SignedIn,
            },
            BreakReason = fact.Status == AdvisorStatus.Break ? fact.BreakReason ?? Options.DefaultBreakReason : null,
            IdleSince = fact.IdleSince,
            ConsecutiveMisses = fact.ConsecutiveMissedOffers,
            WrapUpEndsAt = fact.WrapUpEndsAt,
            HandleStartedAt = fact.HandleStartedAt,
            PendingStatus = fact.PendingStatus,
            PendingReason = fact.PendingReason,
        };
        if (!_advisorsById.TryAdd(advisor.Id, advisor))
        {
            throw Invalid($"advisor {fact.AdvisorId} is listed twice");
        }

        _advisors.Add(advisor);
        if (fact.CurrentCall is { } callId)
        {
            advisor.CurrentCall = Claim(callId, ContactChannel.Call, advisor, ContactState.Assigned);
        }

        foreach (var emailId in fact.OpenEmails)
        {
            advisor.OpenEmails.Add(Claim(emailId, ContactChannel.Email, advisor, ContactState.Assigned));
        }

        if (fact.LiveOffer is { } offerFact)
        {
            var contact = _contacts.TryGetValue(offerFact.ContactId, out var offered)
                ? offered
                : throw Invalid($"advisor {fact.AdvisorId} has an offer for unknown contact {offerFact.ContactId}");
            Claim(offerFact.ContactId, contact.Channel, advisor, ContactState.Offered);
            var offer = new Offer(offerFact.OfferId, contact, advisor, offerFact.OfferedAt, offerFact.ExpiresAt);
            if (!_liveOffers.TryAdd(offer.Id, offer))
            {
                throw Invalid($"offer {offer.Id} is live twice");
            }

            contact.Offer = offer;
            advisor.LiveOffer = offer;
        }
    }

    /// <summary>Marks a contact as held by the advisor, refusing contacts held twice or on the wrong channel.</summary>
    private RoutedContact Claim(Guid contactId, ContactChannel channel, RoutedAdvisor advisor, ContactState state)
    {
        if (!_contacts.TryGetValue(contactId, out var contact) || contact.Channel != channel)
        {
            throw Invalid($"advisor {advisor.Id} holds {contactId}, which is not a known {channel.ToString().ToLowerInvariant()}");
        }

        if (contact.State != ContactState.Waiting)
        {
            throw Invalid($"contact {contactId} is held by more than one advisor");
        }

        contact.State = state;
        if (state == ContactState.Assigned)
        {
            contact.Advisor = advisor;
            if (contact.AssignedAt is null)
            {
                throw Invalid($"assigned contact {contactId} has no assignment time");
            }
        }
        else if (contact.AssignedAt is not null)
        {
            throw Invalid($"offered contact {contactId} has an assignment time");
        }

        return contact;
    }

    private void VerifyStatus(RoutedAdvisor advisor, AdvisorFact fact)
    {
        var holdsWork = advisor.LiveOffer is not null || advisor.IsBusy;
        var consistent = advisor.Presence switch
        {
            Presence.Offline => !holdsWork && advisor.OpenEmails.Count == 0,
            Presence.Break => !holdsWork,
            _ => (advisor.LiveOffer is null || !advisor.IsBusy) && (advisor.CurrentCall is null || advisor.WrapUpEndsAt is null),
        };
        var pendingValid = advisor.PendingStatus is null
            || (advisor.IsBusy && advisor.PendingStatus is AdvisorStatus.Break or AdvisorStatus.Offline);
        advisor.Status = ComputeStatus(advisor);
        advisor.StatusReason = advisor.Status == AdvisorStatus.Break ? advisor.BreakReason : null;
        if (!consistent || !pendingValid || advisor.Status != fact.Status)
        {
            throw Invalid($"advisor {advisor.Id} is recorded as {fact.Status} but its contacts, offer, wrap-up or pending request say otherwise");
        }
    }

    private int IndexOf(Guid? advisorId) =>
        advisorId is { } id && _advisorsById.TryGetValue(id, out var advisor) ? advisor.Index : -1;

    private AdvisorFact ToFact(RoutedAdvisor advisor) => new(advisor.Id, advisor.Skills, advisor.EmailCapacity, advisor.Status)
    {
        BreakReason = advisor.Status == AdvisorStatus.Break ? advisor.BreakReason : null,
        IdleSince = advisor.IdleSince,
        ConsecutiveMissedOffers = advisor.ConsecutiveMisses,
        CurrentCall = advisor.CurrentCall?.Id,
        OpenEmails = advisor.OpenEmails.ConvertAll(email => email.Id),
        LiveOffer = advisor.LiveOffer is { } offer ? new OfferFact(offer.Id, offer.Contact.Id, offer.OfferedAt, offer.ExpiresAt) : null,
        WrapUpEndsAt = advisor.WrapUpEndsAt,
        HandleStartedAt = advisor.HandleStartedAt,
        PendingStatus = advisor.PendingStatus,
        PendingReason = advisor.PendingReason,
    };

    private static ArgumentException Invalid(string problem) => new($"Invalid router snapshot: {problem}.");
}
