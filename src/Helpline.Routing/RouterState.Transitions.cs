using System.Diagnostics;
using Helpline.Contracts;

namespace Helpline.Routing;

public sealed partial class RouterState
{
    internal List<RoutingDecision> Apply(RoutingEvent input, DateTimeOffset now)
    {
        if (now < _clock)
        {
            now = _clock;
        }

        _clock = now;
        var decisions = new List<RoutingDecision>();
        FireDueTimers(now, decisions);
        switch (input)
        {
            case ContactArrived e:
                OnContactArrived(e, now, decisions);
                break;
            case HungUp e:
                OnHungUp(e, now, decisions);
                break;
            case ContactCompleted e:
                OnContactCompleted(e, now, decisions);
                break;
            case ConnectFailed e:
                OnConnectFailed(e, now, decisions);
                break;
            case AdvisorConfigured e:
                OnAdvisorConfigured(e, now, decisions);
                break;
            case AdvisorStatusRequested e:
                OnStatusRequested(e, now, decisions);
                break;
            case OfferAccepted e:
                OnOfferAccepted(e, now, decisions);
                break;
            case OfferDeclined e:
                OnOfferDeclined(e, now, decisions);
                break;
            case WrapUpEnded e:
                OnWrapUpEnded(e, now, decisions);
                break;
            case WrapUpExtended e:
                OnWrapUpExtended(e, now, decisions);
                break;
            case Tick:
                break;
            default:
                throw new UnreachableException($"Unknown routing event {input.GetType().Name}.");
        }

        FireDueTimers(now, decisions);
        Dispatch(now, decisions);
        PruneStaleTimers();
        return decisions;
    }

    private void OnContactArrived(ContactArrived e, DateTimeOffset now, List<RoutingDecision> decisions)
    {
        if (!Enum.IsDefined(e.Channel))
        {
            Reject(decisions, RejectionCode.InvalidChannel, $"Channel {e.Channel} is not a known channel.", e, now);
            return;
        }

        if (_contacts.ContainsKey(e.ContactId))
        {
            Reject(decisions, RejectionCode.DuplicateContact, $"Contact {e.ContactId} is already being routed.", e, now);
            return;
        }

        if (e.Reopened && e.Channel != ContactChannel.Email)
        {
            Reject(decisions, RejectionCode.WrongChannel, "Only an email conversation reopens.", e, now);
            return;
        }

        if (!e.Reopened && _endedContacts.TryGetValue(e.ContactId, out var outcome))
        {
            Reject(decisions, RejectionCode.ContactAlreadyEnded, $"Contact {e.ContactId} already ended ({outcome}).", e, now);
            return;
        }

        _endedContacts.Remove(e.ContactId);
        var enteredAt = e.ReceivedAt is { } receivedAt && receivedAt < now ? receivedAt : now;
        if (e.Channel == ContactChannel.Call && !AnyoneSignedInFor(Skills.Calls))
        {
            EndUnqueued(e, enteredAt, ContactOutcome.NoAdvisors, null, now, decisions);
            return;
        }

        var limits = Options.LimitsFor(e.Channel);
        if (limits.MaxQueueLength is { } maxLength && Waiting(e.Channel).Count >= maxLength)
        {
            EndUnqueued(e, enteredAt, ContactOutcome.Overflow, OverflowReason.QueueFull, now, decisions);
            return;
        }

        var contact = new RoutedContact(e.ContactId, e.Channel, e.Priority, enteredAt, _nextContactSequence++) { PreferredAdvisorId = e.PreferredAdvisorId };
        _contacts.Add(contact.Id, contact);
        decisions.Add(new ContactQueued(contact.Id, contact.Channel, contact.Priority, enteredAt, now));
        Enqueue(contact);
    }

    private void OnHungUp(HungUp e, DateTimeOffset now, List<RoutingDecision> decisions)
    {
        if (!TryGetContact(e.ContactId, e, now, decisions, out var contact))
        {
            return;
        }

        if (contact.Channel != ContactChannel.Call)
        {
            Reject(decisions, RejectionCode.WrongChannel, $"Contact {contact.Id} is an email; only calls hang up.", e, now);
            return;
        }

        switch (contact.State)
        {
            case ContactState.Waiting:
                End(contact, ContactOutcome.Abandoned, null, now, decisions);
                break;
            case ContactState.Offered:
                var advisor = contact.Offer!.Advisor;
                EndOffer(contact.Offer, OfferEndReason.CallerHungUp, now, decisions);
                End(contact, ContactOutcome.Abandoned, null, now, decisions);
                Refresh(advisor, now, decisions);
                break;
            default:
                Complete(contact, now, decisions);
                break;
        }
    }

    private void OnContactCompleted(ContactCompleted e, DateTimeOffset now, List<RoutingDecision> decisions)
    {
        if (!TryGetContact(e.ContactId, e, now, decisions, out var contact))
        {
            return;
        }

        if (contact.State != ContactState.Assigned)
        {
            Reject(decisions, RejectionCode.ContactNotAssigned, $"Contact {contact.Id} is {contact.State}, not assigned.", e, now);
            return;
        }

        Complete(contact, now, decisions);
    }

    private void OnConnectFailed(ConnectFailed e, DateTimeOffset now, List<RoutingDecision> decisions)
    {
        if (!TryGetContact(e.ContactId, e, now, decisions, out var contact))
        {
            return;
        }

        if (contact.Channel != ContactChannel.Call)
        {
            Reject(decisions, RejectionCode.WrongChannel, $"Contact {contact.Id} is an email; only calls are connected.", e, now);
            return;
        }

        if (contact.State != ContactState.Assigned)
        {
            Reject(decisions, RejectionCode.ContactNotAssigned, $"Contact {contact.Id} is {contact.State}, not assigned.", e, now);
            return;
        }

        var advisor = contact.Advisor!;
        advisor.CurrentCall = null;
        advisor.HandleStartedAt = null;
        decisions.Add(new AssignmentUndone(contact.Id, advisor.Id, UndoReason.ConnectFailed, e.Detail, now));
        contact.TriedBy.Add(advisor);
        Requeue(contact, now, decisions);
        ApplyPendingStatus(advisor, now, decisions);
        Refresh(advisor, now, decisions);
    }

    private void OnAdvisorConfigured(AdvisorConfigured e, DateTimeOffset now, List<RoutingDecision> decisions)
    {
        if ((e.Skills & ~KnownSkills) != 0)
        {
            Reject(decisions, RejectionCode.InvalidSkills, $"Skills {e.Skills} include unknown skills.", e, now);
            return;
        }

        if (e.EmailCapacity is < 0)
        {
            Reject(decisions, RejectionCode.InvalidCapacity, $"Email capacity {e.EmailCapacity} is negative.", e, now);
            return;
        }

        if (_advisorsById.TryGetValue(e.AdvisorId, out var advisor))
        {
            advisor.Skills = e.Skills;
            advisor.EmailCapacity = e.EmailCapacity ?? advisor.EmailCapacity;
            Refresh(advisor, now, decisions);
            return;
        }

        advisor = new RoutedAdvisor(e.AdvisorId, _advisors.Count, e.Skills, e.EmailCapacity ?? Options.DefaultEmailCapacity)
        {
            IdleSince = now,
        };
        _advisors.Add(advisor);
        _advisorsById.Add(advisor.Id, advisor);
    }

    private void OnStatusRequested(AdvisorStatusRequested e, DateTimeOffset now, List<RoutingDecision> decisions)
    {
        if (!TryGetAdvisor(e.AdvisorId, e, now, decisions, out var advisor))
        {
            return;
        }

        if (e.Status is not (AdvisorStatus.Available or AdvisorStatus.Break or AdvisorStatus.Offline))
        {
            Reject(decisions, RejectionCode.InvalidStatus, $"Status {e.Status} cannot be requested; request Available, Break or Offline.", e, now);
            return;
        }

        var reason = e.Status == AdvisorStatus.Break
            ? string.IsNullOrWhiteSpace(e.Reason) ? Options.DefaultBreakReason : e.Reason.Trim()
            : null;

        if (advisor.IsBusy)
        {
            Defer(advisor, e.Status, reason, now, decisions);
            return;
        }

        switch (e.Status)
        {
            case AdvisorStatus.Available when advisor.Presence != Presence.SignedIn:
                advisor.Presence = Presence.SignedIn;
                advisor.BreakReason = null;
                advisor.ConsecutiveMisses = 0;
                break;
            case AdvisorStatus.Break when advisor.Presence != Presence.Break || advisor.BreakReason != reason:
                WithdrawLiveOffer(advisor, now, decisions);
                advisor.Presence = Presence.Break;
                advisor.BreakReason = reason;
                break;
            case AdvisorStatus.Offline when advisor.Presence != Presence.Offline:
                WithdrawLiveOffer(advisor, now, decisions);
                ReturnOpenEmails(advisor, now, decisions);
                advisor.Presence = Presence.Offline;
                advisor.BreakReason = null;
                break;
            default:
                return;
        }

        Refresh(advisor, now, decisions);
    }

    private static void Defer(RoutedAdvisor advisor, AdvisorStatus status, string? reason, DateTimeOffset now, List<RoutingDecision> decisions)
    {
        var pending = status == AdvisorStatus.Available ? (AdvisorStatus?)null : status;
        if (pending == advisor.PendingStatus && reason == advisor.PendingReason)
        {
            return;
        }

        advisor.PendingStatus = pending;
        advisor.PendingReason = reason;
        decisions.Add(new AdvisorStatusDeferred(advisor.Id, status, reason, now));
    }

    private void OnOfferAccepted(OfferAccepted e, DateTimeOffset now, List<RoutingDecision> decisions)
    {
        if (!TryGetAdvisor(e.AdvisorId, e, now, decisions, out var advisor)
            || !TryGetLiveOffer(e.OfferId, advisor, e, now, decisions, out var offer))
        {
            return;
        }

        var contact = offer.Contact;
        ForgetOffer(offer, OfferOutcome.Accepted);
        contact.State = ContactState.Assigned;
        contact.Advisor = advisor;
        contact.AssignedAt = now;
        advisor.ConsecutiveMisses = 0;
        if (contact.Channel == ContactChannel.Call)
        {
            advisor.CurrentCall = contact;
            advisor.HandleStartedAt = now;
        }
        else
        {
            advisor.OpenEmails.Add(contact);
        }

        decisions.Add(new ContactAssigned(contact.Id, advisor.Id, offer.Id, contact.Channel, now - contact.EnteredAt, now));
        Refresh(advisor, now, decisions);
    }

    private void OnOfferDeclined(OfferDeclined e, DateTimeOffset now, List<RoutingDecision> decisions)
    {
        if (!TryGetAdvisor(e.AdvisorId, e, now, decisions, out var advisor)
            || !TryGetLiveOffer(e.OfferId, advisor, e, now, decisions, out var offer))
        {
            return;
        }

        EndOffer(offer, OfferEndReason.Declined, now, decisions);
        offer.Contact.TriedBy.Add(advisor);
        advisor.ConsecutiveMisses = 0;
        Requeue(offer.Contact, now, decisions);
        Refresh(advisor, now, decisions);
    }

    private void OnOfferTimedOut(Offer offer, DateTimeOffset now, List<RoutingDecision> decisions)
    {
        var advisor = offer.Advisor;
        EndOffer(offer, OfferEndReason.TimedOut, now, decisions);
        offer.Contact.TriedBy.Add(advisor);
        Requeue(offer.Contact, now, decisions);
        advisor.ConsecutiveMisses++;
        if (Options.MissedOffersBeforeBreak > 0 && advisor.ConsecutiveMisses >= Options.MissedOffersBeforeBreak)
        {
            advisor.Presence = Presence.Break;
            advisor.BreakReason = Options.MissedOffersBreakReason;
        }

        Refresh(advisor, now, decisions);
    }

    private void OnWrapUpEnded(WrapUpEnded e, DateTimeOffset now, List<RoutingDecision> decisions)
    {
        if (!TryGetAdvisor(e.AdvisorId, e, now, decisions, out var advisor))
        {
            return;
        }

        if (advisor.WrapUpEndsAt is null)
        {
            Reject(decisions, RejectionCode.NotInWrapUp, $"Advisor {advisor.Id} is {advisor.Status}, not in wrap-up.", e, now);
            return;
        }

        EndWrapUp(advisor, now, decisions);
    }

    private void OnWrapUpExtended(WrapUpExtended e, DateTimeOffset now, List<RoutingDecision> decisions)
    {
        if (!TryGetAdvisor(e.AdvisorId, e, now, decisions, out var advisor))
        {
            return;
        }

        if (advisor.WrapUpEndsAt is not { } endsAt)
        {
            Reject(decisions, RejectionCode.NotInWrapUp, $"Advisor {advisor.Id} is {advisor.Status}, not in wrap-up.", e, now);
            return;
        }

        var by = e.By ?? Options.WrapUpExtension;
        if (by <= TimeSpan.Zero || by > MaxWrapUpExtension)
        {
            Reject(decisions, RejectionCode.InvalidDuration, $"Wrap-up can be extended by more than zero and at most {MaxWrapUpExtension}, not {by}.", e, now);
            return;
        }

        advisor.WrapUpEndsAt = endsAt + by;
        ScheduleWrapUpEnd(advisor);
        decisions.Add(new WrapUpScheduled(advisor.Id, endsAt + by, now));
    }

    private void Complete(RoutedContact contact, DateTimeOffset now, List<RoutingDecision> decisions)
    {
        var advisor = contact.Advisor!;
        End(contact, ContactOutcome.Completed, null, now, decisions);
        if (contact.Channel == ContactChannel.Email)
        {
            advisor.OpenEmails.Remove(contact);
            _emailHandleTimes.Add(now - contact.AssignedAt!.Value);
            advisor.IdleSince = now;
            Refresh(advisor, now, decisions);
            return;
        }

        advisor.CurrentCall = null;
        if (Options.WrapUp == TimeSpan.Zero)
        {
            EndWrapUp(advisor, now, decisions);
            return;
        }

        advisor.WrapUpEndsAt = now + Options.WrapUp;
        ScheduleWrapUpEnd(advisor);
        Refresh(advisor, now, decisions);
        decisions.Add(new WrapUpScheduled(advisor.Id, now + Options.WrapUp, now));
    }

    /// <summary>Ends the wrap-up (or the call when there is none): records the handle time, applies any pending request.</summary>
    private void EndWrapUp(RoutedAdvisor advisor, DateTimeOffset now, List<RoutingDecision> decisions)
    {
        if (advisor.HandleStartedAt is { } startedAt)
        {
            _callHandleTimes.Add(now - startedAt);
        }

        advisor.WrapUpEndsAt = null;
        advisor.HandleStartedAt = null;
        ApplyPendingStatus(advisor, now, decisions);
        Refresh(advisor, now, decisions);
    }

    private void ApplyPendingStatus(RoutedAdvisor advisor, DateTimeOffset now, List<RoutingDecision> decisions)
    {
        var pending = advisor.PendingStatus;
        var reason = advisor.PendingReason;
        advisor.PendingStatus = null;
        advisor.PendingReason = null;
        switch (pending)
        {
            case AdvisorStatus.Break:
                advisor.Presence = Presence.Break;
                advisor.BreakReason = reason;
                break;
            case AdvisorStatus.Offline:
                ReturnOpenEmails(advisor, now, decisions);
                advisor.Presence = Presence.Offline;
                advisor.BreakReason = null;
                break;
        }
    }

    private void WithdrawLiveOffer(RoutedAdvisor advisor, DateTimeOffset now, List<RoutingDecision> decisions)
    {
        if (advisor.LiveOffer is { } offer)
        {
            EndOffer(offer, OfferEndReason.AdvisorUnavailable, now, decisions);
            Requeue(offer.Contact, now, decisions);
        }
    }

    private void ReturnOpenEmails(RoutedAdvisor advisor, DateTimeOffset now, List<RoutingDecision> decisions)
    {
        foreach (var email in advisor.OpenEmails)
        {
            decisions.Add(new AssignmentUndone(email.Id, advisor.Id, UndoReason.AdvisorSignedOut, null, now));
            Requeue(email, now, decisions);
        }

        advisor.OpenEmails.Clear();
    }

    /// <summary>Ends a live offer; the caller decides what becomes of the contact.</summary>
    private void EndOffer(Offer offer, OfferEndReason reason, DateTimeOffset now, List<RoutingDecision> decisions)
    {
        ForgetOffer(offer, reason switch
        {
            OfferEndReason.Declined => OfferOutcome.Declined,
            OfferEndReason.TimedOut => OfferOutcome.TimedOut,
            _ => OfferOutcome.Withdrawn,
        });
        decisions.Add(new OfferWithdrawn(offer.Id, offer.Contact.Id, offer.Advisor.Id, reason, now));
    }

    private void ForgetOffer(Offer offer, OfferOutcome outcome)
    {
        _liveOffers.Remove(offer.Id);
        offer.Advisor.LiveOffer = null;
        offer.Contact.Offer = null;
        _endedOffers.Add(offer.Id, outcome);
    }

    private void Requeue(RoutedContact contact, DateTimeOffset now, List<RoutingDecision> decisions)
    {
        contact.Advisor = null;
        contact.AssignedAt = null;
        decisions.Add(new ContactRequeued(contact.Id, contact.Channel, now));
        Enqueue(contact);
    }

    private void Enqueue(RoutedContact contact)
    {
        contact.State = ContactState.Waiting;
        Waiting(contact.Channel).Add(contact);
        if (Options.LimitsFor(contact.Channel).MaxWait is { } maxWait)
        {
            var due = contact.EnteredAt + maxWait;
            _timers.Enqueue(new TimerEntry(TimerKind.MaxWait, due, null, null, contact), new TimerKey(due.UtcTicks, TimerKind.MaxWait, contact.Sequence));
        }
    }

    private void End(RoutedContact contact, ContactOutcome outcome, OverflowReason? overflow, DateTimeOffset now, List<RoutingDecision> decisions)
    {
        if (contact.State == ContactState.Waiting)
        {
            Waiting(contact.Channel).Remove(contact);
        }

        contact.State = ContactState.Ended;
        _contacts.Remove(contact.Id);
        _endedContacts.Add(contact.Id, outcome);
        var waitedUntil = contact.AssignedAt ?? now;
        decisions.Add(new ContactEnded(contact.Id, contact.Channel, outcome, waitedUntil - contact.EnteredAt, contact.Advisor?.Id, overflow, now));
    }

    private void EndUnqueued(ContactArrived e, DateTimeOffset enteredAt, ContactOutcome outcome, OverflowReason? overflow, DateTimeOffset now, List<RoutingDecision> decisions)
    {
        _endedContacts.Add(e.ContactId, outcome);
        decisions.Add(new ContactEnded(e.ContactId, e.Channel, outcome, now - enteredAt, null, overflow, now));
    }

    private bool AnyoneSignedInFor(Skills skill)
    {
        foreach (var advisor in _advisors)
        {
            if (advisor.Presence != Presence.Offline && (advisor.Skills & skill) != 0)
            {
                return true;
            }
        }

        return false;
    }

    private bool TryGetContact(Guid contactId, RoutingEvent input, DateTimeOffset now, List<RoutingDecision> decisions, out RoutedContact contact)
    {
        if (_contacts.TryGetValue(contactId, out contact!))
        {
            return true;
        }

        if (_endedContacts.TryGetValue(contactId, out var outcome))
        {
            Reject(decisions, RejectionCode.ContactAlreadyEnded, $"Contact {contactId} already ended ({outcome}).", input, now);
        }
        else
        {
            Reject(decisions, RejectionCode.UnknownContact, $"Contact {contactId} is not being routed.", input, now);
        }

        return false;
    }

    private bool TryGetAdvisor(Guid advisorId, RoutingEvent input, DateTimeOffset now, List<RoutingDecision> decisions, out RoutedAdvisor advisor)
    {
        if (_advisorsById.TryGetValue(advisorId, out advisor!))
        {
            return true;
        }

        Reject(decisions, RejectionCode.UnknownAdvisor, $"Advisor {advisorId} is not configured.", input, now);
        return false;
    }

    private bool TryGetLiveOffer(long offerId, RoutedAdvisor advisor, RoutingEvent input, DateTimeOffset now, List<RoutingDecision> decisions, out Offer offer)
    {
        if (_liveOffers.TryGetValue(offerId, out offer!))
        {
            if (offer.Advisor == advisor)
            {
                return true;
            }

            Reject(decisions, RejectionCode.OfferBelongsToAnotherAdvisor, $"Offer {offerId} was made to another advisor, not to {advisor.Id}.", input, now);
            return false;
        }

        if (_endedOffers.TryGetValue(offerId, out var outcome))
        {
            var code = outcome == OfferOutcome.TimedOut ? RejectionCode.OfferExpired : RejectionCode.OfferNotLive;
            Reject(decisions, code, $"Offer {offerId} is no longer live: it was {outcome.ToString().ToLowerInvariant()}.", input, now);
        }
        else if (offerId > 0 && offerId < _nextOfferId)
        {
            Reject(decisions, RejectionCode.OfferNotLive, $"Offer {offerId} is no longer live.", input, now);
        }
        else
        {
            Reject(decisions, RejectionCode.UnknownOffer, $"Offer {offerId} was never made.", input, now);
        }

        return false;
    }

    private static void Reject(List<RoutingDecision> decisions, RejectionCode code, string message, RoutingEvent input, DateTimeOffset now) =>
        decisions.Add(new Rejected(code, message, input, now));

    /// <summary>Brings the advisor's status up to date with its fields, announcing any change.</summary>
    private void Refresh(RoutedAdvisor advisor, DateTimeOffset now, List<RoutingDecision> decisions)
    {
        var status = ComputeStatus(advisor);
        var reason = status == AdvisorStatus.Break ? advisor.BreakReason : null;
        if (status == advisor.Status && reason == advisor.StatusReason)
        {
            return;
        }

        if (status == AdvisorStatus.Available)
        {
            advisor.IdleSince = now;
        }

        advisor.Status = status;
        advisor.StatusReason = reason;
        decisions.Add(new AdvisorStatusChanged(advisor.Id, status, reason, now));
    }

    private AdvisorStatus ComputeStatus(RoutedAdvisor advisor) => advisor switch
    {
        { Presence: Presence.Offline } => AdvisorStatus.Offline,
        { Presence: Presence.Break } => AdvisorStatus.Break,
        { LiveOffer: not null } => AdvisorStatus.Offered,
        { CurrentCall: not null } => AdvisorStatus.OnContact,
        { WrapUpEndsAt: not null } => AdvisorStatus.WrapUp,
        { OpenEmails.Count: > 0 } when !CanTakeCall(advisor) && !CanTakeEmail(advisor) => AdvisorStatus.OnContact,
        _ => AdvisorStatus.Available,
    };

    private bool CanTakeCall(RoutedAdvisor advisor) =>
        (advisor.Skills & Skills.Calls) != 0 && (Options.OfferCallsWhileEmailing || advisor.OpenEmails.Count == 0);

    private static bool CanTakeEmail(RoutedAdvisor advisor) =>
        (advisor.Skills & Skills.Emails) != 0 && advisor.OpenEmails.Count < advisor.EmailCapacity;
}
