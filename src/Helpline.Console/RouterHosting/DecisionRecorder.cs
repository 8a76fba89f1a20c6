using Helpline.Console.Advisors;
using Helpline.Console.Contacts;
using Helpline.Console.Data;
using Helpline.Console.Safety;
using Helpline.Contracts;
using Helpline.Routing;
using Helpline.ServiceDefaults.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Helpline.Console.RouterHosting;

/// <summary>
/// Turns one transition's decisions into what must be written with it, in the same transaction:
/// append-only contact and advisor events, the contacts' current status, and outbox messages for
/// advisors (through every Console instance) and for Intake (connect, turn away, end a call).
/// </summary>
internal sealed class DecisionRecorder(ConsoleDbContext db, CallerFlagReader flags, DateTimeOffset now)
{
    private readonly List<AdvisorNotification> _notifications = [];
    private Dictionary<Guid, Contact> _contacts = [];
    private Dictionary<Guid, Advisor> _advisors = [];
    private Dictionary<string, CallerFlagNotice> _flags = [];

    public async Task RecordAsync(IReadOnlyList<RoutingDecision> decisions, CancellationToken cancellationToken)
    {
        await LoadAsync(decisions, cancellationToken);
        foreach (var decision in decisions)
        {
            Record(decision);
        }

        if (_notifications.Count > 0)
        {
            db.OutboxMessages.Add(OutboxMessage.Publish(new AdvisorNotifications { Items = _notifications.ToList() }, now));
        }
    }

    private async Task LoadAsync(IReadOnlyList<RoutingDecision> decisions, CancellationToken cancellationToken)
    {
        var contactIds = decisions.Select(ContactIdOf).OfType<Guid>().ToHashSet();
        _contacts = db.Contacts.Local.Where(c => contactIds.Contains(c.Id)).ToDictionary(c => c.Id);
        contactIds.ExceptWith(_contacts.Keys);
        if (contactIds.Count > 0)
        {
            foreach (var contact in await db.Contacts.Where(c => contactIds.Contains(c.Id)).ToListAsync(cancellationToken))
            {
                _contacts[contact.Id] = contact;
            }
        }

        var offeredCallers = decisions.OfType<OfferMade>()
            .Select(o => _contacts.GetValueOrDefault(o.ContactId)?.CallerKey).OfType<string>().ToHashSet(StringComparer.Ordinal);
        _flags = await flags.StandingAsync(db, offeredCallers, cancellationToken);

        var advisorIds = decisions.OfType<ContactAssigned>().Where(a => a.Channel == ContactChannel.Call).Select(a => a.AdvisorId).ToHashSet();
        _advisors = advisorIds.Count == 0
            ? []
            : await db.Advisors.AsNoTracking().Where(a => advisorIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, cancellationToken);
    }

    private static Guid? ContactIdOf(RoutingDecision decision) => decision switch
    {
        ContactQueued d => d.ContactId,
        OfferMade d => d.ContactId,
        OfferWithdrawn d => d.ContactId,
        ContactAssigned d => d.ContactId,
        AssignmentUndone d => d.ContactId,
        ContactRequeued d => d.ContactId,
        ContactEnded d => d.ContactId,
        _ => null,
    };

    private void Record(RoutingDecision decision)
    {
        switch (decision)
        {
            case ContactQueued d:
                AddEvent(d.ContactId, ContactEventType.Queued);
                SetStatus(d.ContactId, ContactStatus.Queued, null);
                break;
            case OfferMade d:
                AddEvent(d.ContactId, ContactEventType.Offered, d.AdvisorId, d.OfferId);
                SetStatus(d.ContactId, ContactStatus.Offered, d.AdvisorId);
                if (_contacts.TryGetValue(d.ContactId, out var offered))
                {
                    Notify(new AdvisorNotification
                    {
                        AdvisorId = d.AdvisorId,
                        ContactOffered = new ContactOfferedNotice(d.OfferId, d.ContactId, offered.Channel, offered.ReceivedAt, d.ExpiresAt, offered.CallerKey is null)
                        {
                            CallerFlag = offered.CallerKey is null ? null : _flags.GetValueOrDefault(offered.CallerKey),
                        },
                    });
                }

                break;
            case OfferWithdrawn d:
                AddEvent(d.ContactId, d.Reason switch
                {
                    OfferEndReason.Declined => ContactEventType.OfferDeclined,
                    OfferEndReason.TimedOut => ContactEventType.OfferTimedOut,
                    _ => ContactEventType.OfferWithdrawn,
                }, d.AdvisorId, d.OfferId, reason: d.Reason.ToString());
                SetStatus(d.ContactId, ContactStatus.Queued, null);
                Notify(new AdvisorNotification
                {
                    AdvisorId = d.AdvisorId,
                    OfferWithdrawn = new OfferWithdrawnNotice(d.OfferId, d.ContactId, d.Reason.ToString(), d.At),
                });
                break;
            case ContactAssigned d:
                AddEvent(d.ContactId, ContactEventType.Assigned, d.AdvisorId, d.OfferId, wait: d.WaitTime);
                SetStatus(d.ContactId, ContactStatus.Assigned, d.AdvisorId);
                Notify(new AdvisorNotification
                {
                    AdvisorId = d.AdvisorId,
                    ContactAssigned = new ContactAssignedNotice(d.OfferId, d.ContactId, d.Channel, d.WaitTime, d.At),
                });
                if (d.Channel == ContactChannel.Call && _advisors.TryGetValue(d.AdvisorId, out var advisor))
                {
                    db.OutboxMessages.Add(OutboxMessage.Publish(new ConnectCall { ContactId = d.ContactId, AdvisorId = d.AdvisorId, AdvisorEndpoint = advisor.CallEndpoint }, now));
                }

                break;
            case AssignmentUndone d:
                AddEvent(d.ContactId, ContactEventType.AssignmentUndone, d.AdvisorId, reason: d.Reason.ToString());
                SetStatus(d.ContactId, ContactStatus.Queued, null);
                Notify(new AdvisorNotification
                {
                    AdvisorId = d.AdvisorId,
                    AssignmentUndone = new AssignmentUndoneNotice(d.ContactId, d.Reason.ToString(), d.Detail, d.At),
                });
                break;
            case ContactRequeued d:
                AddEvent(d.ContactId, ContactEventType.Requeued);
                break;
            case ContactEnded d:
                RecordEnded(d);
                break;
            case AdvisorStatusChanged d:
                db.AdvisorEvents.Add(new AdvisorEvent { AdvisorId = d.AdvisorId, Status = d.Status, Reason = d.Reason, At = d.At });
                Notify(new AdvisorNotification { AdvisorId = d.AdvisorId, StatusChanged = new StatusChangedNotice(d.Status, d.Reason, false, d.At) });
                break;
            case AdvisorStatusDeferred d:
                Notify(new AdvisorNotification { AdvisorId = d.AdvisorId, StatusChanged = new StatusChangedNotice(d.Status, d.Reason, true, d.At) });
                break;
            case WrapUpScheduled d:
                Notify(new AdvisorNotification { AdvisorId = d.AdvisorId, WrapUpScheduled = new WrapUpScheduledNotice(d.EndsAt, d.At) });
                break;
        }
    }

    private void RecordEnded(ContactEnded d)
    {
        AddEvent(d.ContactId, ContactEventType.Ended, d.AdvisorId, outcome: d.Outcome.ToString(), reason: d.Overflow?.ToString(), wait: d.WaitTime);
        var status = d.Outcome switch
        {
            ContactOutcome.Completed => ContactStatus.Completed,
            ContactOutcome.Abandoned => ContactStatus.Abandoned,
            ContactOutcome.Overflow => ContactStatus.Overflow,
            _ => ContactStatus.NoAdvisors,
        };
        SetStatus(d.ContactId, status, d.AdvisorId);
        if (_contacts.TryGetValue(d.ContactId, out var contact))
        {
            contact.EndedAt = d.At;
        }

        if (d.AdvisorId is { } advisorId)
        {
            Notify(new AdvisorNotification { AdvisorId = advisorId, ContactEnded = new ContactEndedNotice(d.ContactId, d.Outcome.ToString(), d.At) });
        }

        if (d.Channel == ContactChannel.Call && d.Outcome == ContactOutcome.Completed && d.AdvisorId is { } completedBy)
        {
            // Intake ignores it when the call already ended there (the usual case: the caller or the
            // provider ended it first); otherwise the advisor ended it from the console.
            db.OutboxMessages.Add(OutboxMessage.Publish(new EndCall { ContactId = d.ContactId, AdvisorId = completedBy, At = d.At }, now));
        }

        if (d.Channel == ContactChannel.Call && d.Outcome is ContactOutcome.NoAdvisors or ContactOutcome.Overflow)
        {
            var reason = d.Outcome == ContactOutcome.NoAdvisors ? UnansweredReason.NoAdvisors : UnansweredReason.Overflow;
            db.OutboxMessages.Add(OutboxMessage.Publish(new TurnAwayCall { ContactId = d.ContactId, Reason = reason }, now));
        }
    }

    private void AddEvent(Guid contactId, ContactEventType type, Guid? advisorId = null, long? offerId = null, string? outcome = null, string? reason = null, TimeSpan? wait = null) =>
        db.ContactEvents.Add(new ContactEvent
        {
            ContactId = contactId,
            Type = type,
            AdvisorId = advisorId,
            OfferId = offerId,
            Outcome = outcome,
            Reason = reason,
            WaitSeconds = wait?.TotalSeconds,
            At = now,
        });

    private void SetStatus(Guid contactId, ContactStatus status, Guid? advisorId)
    {
        if (_contacts.TryGetValue(contactId, out var contact))
        {
            contact.Status = status;
            contact.AdvisorId = advisorId ?? (status == ContactStatus.Queued ? null : contact.AdvisorId);
        }
    }

    private void Notify(AdvisorNotification notification) => _notifications.Add(notification);
}
