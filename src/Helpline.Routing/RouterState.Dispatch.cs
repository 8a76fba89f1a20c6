using Helpline.Contracts;

namespace Helpline.Routing;

public sealed partial class RouterState
{
    /// <summary>
    /// Work conservation: offers waiting contacts, calls before emails and each channel in queue order, until no
    /// eligible advisor is left. Eligibility does not depend on the contact (advisors who already declined, missed
    /// or failed to connect a contact are only ranked last for it), so after this no waiting contact has an
    /// eligible advisor idle.
    /// </summary>
    private void Dispatch(DateTimeOffset now, List<RoutingDecision> decisions)
    {
        DispatchChannel(ContactChannel.Call, now, decisions);
        DispatchChannel(ContactChannel.Email, now, decisions);
    }

    private void DispatchChannel(ContactChannel channel, DateTimeOffset now, List<RoutingDecision> decisions)
    {
        var queue = Waiting(channel);
        while (queue.Count > 0)
        {
            var contact = queue.Min!;
            var advisor = ChooseAdvisor(channel, contact);
            if (advisor is null)
            {
                return;
            }

            queue.Remove(contact);
            var offer = new Offer(_nextOfferId++, contact, advisor, now, now + Options.OfferTimeout);
            _liveOffers.Add(offer.Id, offer);
            contact.State = ContactState.Offered;
            contact.Offer = offer;
            advisor.LiveOffer = offer;
            ScheduleOfferTimeout(offer);
            if (channel == ContactChannel.Call)
            {
                _lastCallAdvisorIndex = advisor.Index;
            }
            else
            {
                _lastEmailAdvisorIndex = advisor.Index;
            }

            decisions.Add(new OfferMade(offer.Id, contact.Id, advisor.Id, channel, offer.ExpiresAt, now));
            Refresh(advisor, now, decisions);
        }
    }

    /// <summary>The contact's preferred advisor when eligible, else the best eligible advisor who has not tried it yet, else the best one who has.</summary>
    private RoutedAdvisor? ChooseAdvisor(ContactChannel channel, RoutedContact contact)
    {
        if (contact.PreferredAdvisorId is { } preferredId && _advisors.Find(a => a.Id == preferredId) is { } preferred && IsEligible(preferred, channel))
        {
            return preferred;
        }

        RoutedAdvisor? fresh = null;
        RoutedAdvisor? tried = null;
        foreach (var advisor in _advisors)
        {
            if (!IsEligible(advisor, channel))
            {
                continue;
            }

            if (contact.TriedBy.Count > 0 && contact.TriedBy.Contains(advisor))
            {
                if (tried is null || Ranks(advisor, tried, channel))
                {
                    tried = advisor;
                }
            }
            else if (fresh is null || Ranks(advisor, fresh, channel))
            {
                fresh = advisor;
            }
        }

        return fresh ?? tried;
    }

    private bool IsEligible(RoutedAdvisor advisor, ContactChannel channel) =>
        advisor.Status == AdvisorStatus.Available
        && (channel == ContactChannel.Call ? CanTakeCall(advisor) : CanTakeEmail(advisor));

    /// <summary>Whether <paramref name="candidate"/> ranks before <paramref name="best"/>, which comes earlier in registration order.</summary>
    private bool Ranks(RoutedAdvisor candidate, RoutedAdvisor best, ContactChannel channel)
    {
        if (Options.AdvisorSelection == AdvisorSelection.LongestIdle)
        {
            return candidate.IdleSince < best.IdleSince;
        }

        var last = channel == ContactChannel.Call ? _lastCallAdvisorIndex : _lastEmailAdvisorIndex;
        return RingDistance(candidate.Index, last) < RingDistance(best.Index, last);
    }

    private int RingDistance(int index, int last) => (index - last - 1 + _advisors.Count) % _advisors.Count;

    private void ScheduleOfferTimeout(Offer offer) =>
        _timers.Enqueue(
            new TimerEntry(TimerKind.OfferTimeout, offer.ExpiresAt, offer, null, null),
            new TimerKey(offer.ExpiresAt.UtcTicks, TimerKind.OfferTimeout, offer.Id));

    private void ScheduleWrapUpEnd(RoutedAdvisor advisor)
    {
        var due = advisor.WrapUpEndsAt!.Value;
        _timers.Enqueue(new TimerEntry(TimerKind.WrapUpEnd, due, null, advisor, null), new TimerKey(due.UtcTicks, TimerKind.WrapUpEnd, advisor.Index));
    }

    private void FireDueTimers(DateTimeOffset now, List<RoutingDecision> decisions)
    {
        while (_timers.TryPeek(out var timer, out var key) && key.DueTicks <= now.UtcTicks)
        {
            _timers.Dequeue();
            if (IsStale(timer))
            {
                continue;
            }

            switch (timer.Kind)
            {
                case TimerKind.OfferTimeout:
                    OnOfferTimedOut(timer.Offer!, now, decisions);
                    break;
                case TimerKind.WrapUpEnd:
                    EndWrapUp(timer.Advisor!, now, decisions);
                    break;
                default:
                    End(timer.Contact!, ContactOutcome.Overflow, OverflowReason.MaxWaitReached, now, decisions);
                    break;
            }
        }
    }

    /// <summary>Drops timers at the head that no longer apply, so <see cref="NextDueAt"/> names a real one.</summary>
    private void PruneStaleTimers()
    {
        while (_timers.TryPeek(out var timer, out _) && IsStale(timer))
        {
            _timers.Dequeue();
        }
    }

    private static bool IsStale(TimerEntry timer) => timer.Kind switch
    {
        TimerKind.OfferTimeout => timer.Offer!.Advisor.LiveOffer != timer.Offer,
        TimerKind.WrapUpEnd => timer.Advisor!.WrapUpEndsAt != timer.Due,
        _ => timer.Contact!.State != ContactState.Waiting,
    };
}
