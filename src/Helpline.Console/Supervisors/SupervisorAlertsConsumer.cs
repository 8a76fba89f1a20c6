using System.Diagnostics;
using Helpline.Console.Records;
using MassTransit;
using Microsoft.AspNetCore.SignalR;

namespace Helpline.Console.Supervisors;

/// <summary>
/// Runs on every Console instance, on a temporary queue of the instance's own (as
/// <see cref="Advisors.AdvisorNotificationsConsumer"/> does for advisors): tells the supervisors
/// connected here about an urgent contact, and has their dashboard (today's urgent flags) pushed again.
/// </summary>
internal sealed class SupervisorAlertsConsumer(IHubContext<SupervisorHub, ISupervisorClient> hub, DashboardPublisher dashboard) : IConsumer<UrgentContactRaised>
{
    public async Task Consume(ConsumeContext<UrgentContactRaised> context)
    {
        using var activity = ConsoleTelemetry.Source.StartActivity("signalr send UrgentContactRaised", ActivityKind.Producer);
        activity?.SetTag("helpline.contact.id", context.Message.ContactId);
        await hub.Clients.All.UrgentContactRaised(context.Message);
        dashboard.Changed();
    }
}
