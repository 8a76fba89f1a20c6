using System.Diagnostics;
using Helpline.Console.RouterHosting;
using MassTransit;
using Microsoft.AspNetCore.SignalR;

namespace Helpline.Console.Advisors;

/// <summary>
/// Runs on every Console instance, on a queue of the instance's own: delivers the router's
/// notifications to the advisors connected here. An advisor connected elsewhere is reached by
/// that instance's copy of the same message.
/// </summary>
internal sealed class AdvisorNotificationsConsumer(IHubContext<AdvisorHub, IAdvisorClient> hub) : IConsumer<AdvisorNotifications>
{
    public async Task Consume(ConsumeContext<AdvisorNotifications> context)
    {
        foreach (var item in context.Message.Items)
        {
            var advisor = hub.Clients.User(item.AdvisorId.ToString());
            var (method, contactId) = item switch
            {
                { ContactOffered: { } o } => ("ContactOffered", (Guid?)o.ContactId),
                { OfferWithdrawn: { } w } => ("OfferWithdrawn", w.ContactId),
                { ContactAssigned: { } a } => ("ContactAssigned", a.ContactId),
                { AssignmentUndone: { } u } => ("AssignmentUndone", u.ContactId),
                { ContactEnded: { } e } => ("ContactEnded", e.ContactId),
                { WrapUpScheduled: not null } => ("WrapUpScheduled", null),
                _ => ("StatusChanged", null),
            };
            using var activity = ConsoleTelemetry.Source.StartActivity($"signalr send {method}", ActivityKind.Producer);
            activity?.SetTag("helpline.contact.id", contactId);
            await (item switch
            {
                { ContactOffered: { } o } => advisor.ContactOffered(o),
                { OfferWithdrawn: { } w } => advisor.OfferWithdrawn(w),
                { ContactAssigned: { } a } => advisor.ContactAssigned(a),
                { AssignmentUndone: { } u } => advisor.AssignmentUndone(u),
                { ContactEnded: { } e } => advisor.ContactEnded(e),
                { WrapUpScheduled: { } s } => advisor.WrapUpScheduled(s),
                { StatusChanged: { } c } => advisor.StatusChanged(c),
                _ => Task.CompletedTask,
            });
        }
    }
}
