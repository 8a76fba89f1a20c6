using Helpline.Console.Accounts;
using Helpline.Console.Contacts;
using Helpline.Console.Data;
using Helpline.Console.RouterHosting;
using Helpline.Console.Safety;
using Helpline.Contracts;
using Helpline.Routing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace Helpline.Console.Advisors;

/// <summary>
/// The advisors' live connection (contract: docs/api.md). The advisor is always the authenticated
/// user, never a parameter. Each command goes to the router (here when this instance is routing,
/// otherwise through the routing queue) and waits for its answer; a refusal is a <see cref="HubException"/> with the router's code and reason.
/// A closed or dropped connection changes nothing in routing: the browser reconnects and is resynced,
/// and an advisor who is really gone stops getting calls through the missed-offers rule
/// (docs/console-ui.md). Only the session ending (<see cref="SessionRevocation"/>) sets Offline.
/// </summary>
[Authorize(Policy = Policies.Advisor)]
internal sealed class AdvisorHub(AdvisorCommands router, RouterStateReader reader, ConsoleDbContext db, CallerFlagReader flags, TimeProvider time) : Hub<IAdvisorClient>
{
    public const string Path = "/hubs/advisor";
    public const int MaxReasonLength = 64;

    /// <summary>
    /// Resync on every (re)connection: the advisor's status as of the router's latest transition,
    /// the offer still ringing at them, the call they are on and a wrap-up in progress, so a page
    /// reload or a dropped network shows the truth. The connection is registered before this runs
    /// (<see cref="CurrentSessionHubFilter"/>), so a sign-out during the resync still closes it.
    /// </summary>
    public override async Task OnConnectedAsync()
    {
        var (advisor, asOf) = await reader.ReadAsync(db, (state, asOf) => (state.FindAdvisor(AdvisorId), asOf), Context.ConnectionAborted);
        var at = asOf ?? time.GetUtcNow();
        await Clients.Caller.StatusChanged(new StatusChangedNotice(advisor?.Status ?? AdvisorStatus.Offline, advisor?.BreakReason, false, at));
        if (advisor?.LiveOffer is { } offer
            && await db.Contacts.AsNoTracking().SingleOrDefaultAsync(c => c.Id == offer.ContactId, Context.ConnectionAborted) is { } contact)
        {
            await Clients.Caller.ContactOffered(new ContactOfferedNotice(offer.OfferId, contact.Id, contact.Channel, contact.ReceivedAt, offer.ExpiresAt, contact.CallerKey is null)
            {
                CallerFlag = await flags.StandingAsync(db, contact.CallerKey, Context.ConnectionAborted),
            });
        }

        if (advisor?.CurrentCall is { } callId
            && await db.ContactEvents.AsNoTracking().Where(e => e.ContactId == callId && e.Type == ContactEventType.Assigned).OrderByDescending(e => e.Id).FirstOrDefaultAsync(Context.ConnectionAborted) is { } assigned)
        {
            await Clients.Caller.ContactAssigned(new ContactAssignedNotice(
                assigned.OfferId ?? 0, callId, ContactChannel.Call, TimeSpan.FromSeconds(assigned.WaitSeconds ?? 0), assigned.At));
        }

        if (advisor?.WrapUpEndsAt is { } endsAt)
        {
            await Clients.Caller.WrapUpScheduled(new WrapUpScheduledNotice(endsAt, at));
        }

        await base.OnConnectedAsync();
    }

    /// <summary>Available, Break (with a reason such as lunch, training, debrief) or Offline.</summary>
    public Task SetStatus(string status, string? reason)
    {
        if (!Enum.TryParse<AdvisorStatus>(status, ignoreCase: true, out var parsed)
            || !Enum.IsDefined(parsed)
            || parsed is not (AdvisorStatus.Available or AdvisorStatus.Break or AdvisorStatus.Offline))
        {
            throw new HubException("InvalidStatus: status must be Available, Break or Offline.");
        }

        if (reason is { Length: > MaxReasonLength })
        {
            throw new HubException($"InvalidReason: a reason has at most {MaxReasonLength} characters.");
        }

        return SendAsync(new AdvisorCommand.SetStatus(AdvisorId, parsed, reason));
    }

    public Task AcceptOffer(long offerId) => SendAsync(new AdvisorCommand.AcceptOffer(AdvisorId, offerId));

    public Task DeclineOffer(long offerId) => SendAsync(new AdvisorCommand.DeclineOffer(AdvisorId, offerId));

    public Task ExtendWrapUp() => SendAsync(new AdvisorCommand.ExtendWrapUp(AdvisorId));

    public Task EndWrapUp() => SendAsync(new AdvisorCommand.EndWrapUp(AdvisorId));

    public Task CompleteContact(Guid contactId) => SendAsync(new AdvisorCommand.CompleteContact(AdvisorId, contactId));

    /// <summary>The signed-in advisor: commands are always theirs.</summary>
    private Guid AdvisorId => Guid.Parse(Context.UserIdentifier!);

    private async Task SendAsync(AdvisorCommand command)
    {
        var result = await router.SendAsync(command, Context.ConnectionAborted);
        if (!result.Applied)
        {
            throw new HubException($"{result.Code}: {result.Message}");
        }
    }
}
