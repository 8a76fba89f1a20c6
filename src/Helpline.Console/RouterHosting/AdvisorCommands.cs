using Helpline.Console.Contacts;
using Helpline.Console.Data;
using Helpline.Routing;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Helpline.Console.RouterHosting;

/// <summary>
/// Where an advisor's command goes. On the instance that is routing (its router holds the state it
/// loaded for the routing queue) the command is applied there and then, as one more input of the
/// router's next transition; anywhere else it goes through the routing queue to the instance that is.
/// Either way it is applied once, by the router holding the latest state: a router that finds its
/// state stale (another instance routed meanwhile) refuses the work, and the command is sent through
/// the queue instead.
/// </summary>
internal sealed class AdvisorCommands(RouterHost router, AdvisorCommandHandler handler, IRequestClient<AdvisorCommandRequest> queue)
{
    public async Task<AdvisorCommandResult> SendAsync(AdvisorCommand command, CancellationToken cancellationToken)
    {
        if (router.IsRouting)
        {
            try
            {
                return await handler.HandleAsync(command, onlyIfRouting: true, cancellationToken);
            }
            catch (Exception exception) when (exception is StaleRouterException or NotRoutingException)
            {
                // Not routing any more: the instance that is gets it through the queue.
            }
        }

        var response = await queue.GetResponse<AdvisorCommandResult>(new AdvisorCommandRequest { Command = command }, cancellationToken);
        return response.Message;
    }
}

/// <summary>
/// Applies an advisor's command on the routing instance: refuses what the router cannot judge (an
/// unknown advisor, another advisor's contact), then submits it to the router,
/// telling it the advisor's skills first when it does not know them yet (or when asked to reload them).
/// </summary>
internal sealed class AdvisorCommandHandler(ConsoleDbContext db, RouterHost router)
{
    /// <param name="onlyIfRouting">Fail with <see cref="NotRoutingException"/> rather than make this instance route (see <see cref="RouterHost.SubmitAsync"/>).</param>
    public async Task<AdvisorCommandResult> HandleAsync(AdvisorCommand command, bool onlyIfRouting, CancellationToken cancellationToken)
    {
        if (await RefusalAsync(command, cancellationToken) is { } refusal)
        {
            return refusal;
        }

        RoutingEvent? commanded = command switch
        {
            AdvisorCommand.SetStatus c => new AdvisorStatusRequested(c.AdvisorId, c.Status, c.Reason),
            AdvisorCommand.AcceptOffer c => new OfferAccepted(c.OfferId, c.AdvisorId),
            AdvisorCommand.DeclineOffer c => new OfferDeclined(c.OfferId, c.AdvisorId),
            AdvisorCommand.ExtendWrapUp c => new WrapUpExtended(c.AdvisorId),
            AdvisorCommand.EndWrapUp c => new WrapUpEnded(c.AdvisorId),
            AdvisorCommand.CompleteContact c => new ContactCompleted(c.ContactId),
            AdvisorCommand.ReloadProfile => null,
            _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "Not an advisor command."),
        };
        var decisions = await router.SubmitAsync(async (batch, token) =>
        {
            var events = new List<RoutingEvent>(2);
            if (commanded is null || batch.State.FindAdvisor(command.AdvisorId) is null)
            {
                var advisor = await batch.Db.Advisors.AsNoTracking().SingleAsync(a => a.Id == command.AdvisorId, token);
                events.Add(new AdvisorConfigured(advisor.Id, advisor.Skills, advisor.EmailCapacity));
            }

            if (commanded is not null)
            {
                events.Add(commanded);
            }

            return events;
        }, onlyIfRouting);
        var rejected = commanded is null ? null : decisions.OfType<Rejected>().FirstOrDefault(r => ReferenceEquals(r.Event, commanded));
        return rejected is null
            ? new AdvisorCommandResult { Applied = true }
            : new AdvisorCommandResult { Applied = false, Code = rejected.Code.ToString(), Message = rejected.Message };
    }

    private async Task<AdvisorCommandResult?> RefusalAsync(AdvisorCommand command, CancellationToken cancellationToken)
    {
        if (!await db.Advisors.AnyAsync(a => a.Id == command.AdvisorId, cancellationToken))
        {
            return Refuse(RejectionCode.UnknownAdvisor, "No such advisor.");
        }

        return command is AdvisorCommand.CompleteContact complete && !await db.Contacts.AnyAsync(
                c => c.Id == complete.ContactId && c.AdvisorId == command.AdvisorId && c.Status == ContactStatus.Assigned, cancellationToken)
            ? Refuse(RejectionCode.ContactNotAssigned, "That contact is not assigned to you.")
            : null;
    }

    private static AdvisorCommandResult Refuse(RejectionCode code, string message) =>
        new() { Applied = false, Code = code.ToString(), Message = message };
}
