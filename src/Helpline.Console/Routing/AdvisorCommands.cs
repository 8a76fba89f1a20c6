using Helpline.Console.Contacts;
using Helpline.Console.Data;
using Helpline.Routing;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Helpline.Console.Routing;

/// <summary>
/// Where an advisor's command goes. On the instance that is routing (its router holds the state it
/// loaded for the routing queue) the command is applied there and then, as one more input of the
/// router's next transition; anywhere else it goes through the routing queue to the instance that is.
/// Either way it is applied once, by the router holding the latest state: a router that finds its
/// state stale (another instance routed meanwhile) refuses the work, and the command is sent through
/// the queue instead.
/// </summary>
public sealed class AdvisorCommands(RouterHost router, AdvisorCommandHandler handler, IRequestClient<AdvisorCommand> queue)
{
    public async Task<AdvisorCommandResult> SendAsync(AdvisorCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
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

        var response = await queue.GetResponse<AdvisorCommandResult>(command, cancellationToken);
        return response.Message;
    }
}

/// <summary>
/// Applies an advisor's command on the routing instance: refuses what the router cannot judge (an
/// unknown advisor, a missing argument, another advisor's contact), then submits it to the router,
/// telling it the advisor's skills first when it does not know them yet (or when asked to reload them).
/// </summary>
public sealed class AdvisorCommandHandler(ConsoleDbContext db, RouterHost router)
{
    /// <param name="onlyIfRouting">Fail with <see cref="NotRoutingException"/> rather than make this instance route (see <see cref="RouterHost.SubmitAsync"/>).</param>
    public async Task<AdvisorCommandResult> HandleAsync(AdvisorCommand command, bool onlyIfRouting, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (await RefusalAsync(command, cancellationToken) is { } refusal)
        {
            return refusal;
        }

        RoutingEvent? commanded = command.Kind switch
        {
            AdvisorCommandKind.Configure => null,
            AdvisorCommandKind.SetStatus => new AdvisorStatusRequested(command.AdvisorId, command.Status!.Value, command.Reason),
            AdvisorCommandKind.AcceptOffer => new OfferAccepted(command.OfferId!.Value, command.AdvisorId),
            AdvisorCommandKind.DeclineOffer => new OfferDeclined(command.OfferId!.Value, command.AdvisorId),
            AdvisorCommandKind.ExtendWrapUp => new WrapUpExtended(command.AdvisorId),
            AdvisorCommandKind.EndWrapUp => new WrapUpEnded(command.AdvisorId),
            _ => new ContactCompleted(command.ContactId!.Value),
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

        return command.Kind switch
        {
            AdvisorCommandKind.SetStatus when command.Status is null => Refuse(RejectionCode.InvalidStatus, "A status is required."),
            AdvisorCommandKind.AcceptOffer or AdvisorCommandKind.DeclineOffer when command.OfferId is null => Refuse(RejectionCode.UnknownOffer, "An offer id is required."),
            AdvisorCommandKind.CompleteContact when !await db.Contacts.AnyAsync(
                c => c.Id == command.ContactId && c.AdvisorId == command.AdvisorId && c.Status == ContactStatus.Assigned, cancellationToken)
                => Refuse(RejectionCode.ContactNotAssigned, "That contact is not assigned to you."),
            _ => null,
        };
    }

    private static AdvisorCommandResult Refuse(RejectionCode code, string message) =>
        new() { Applied = false, Code = code.ToString(), Message = message };
}
