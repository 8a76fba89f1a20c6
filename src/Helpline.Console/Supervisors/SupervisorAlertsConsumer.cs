using System.Diagnostics;
using Helpline.Console.Records;
using MassTransit;
using Microsoft.AspNetCore.SignalR;

namespace Helpline.Console.Supervisors;

/// <summary>
/// Runs on every Console instance, on a temporary queue of the instance's own (as
/// <see cref="Advisors.AdvisorNotificationsConsumer"/> does for advisors): tells the supervisors
/// connected here about an urgent contact.
/// </summary>
public sealed class SupervisorAlertsConsumer(IHubContext<SupervisorHub, ISupervisorClient> hub) : IConsumer<UrgentContactRaised>
{
    public async Task Consume(ConsumeContext<UrgentContactRaised> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var activity = ConsoleTelemetry.Source.StartActivity("signalr send UrgentContactRaised", ActivityKind.Producer);
        activity?.SetTag("helpline.contact.id", context.Message.ContactId);
        await hub.Clients.All.UrgentContactRaised(context.Message);
    }
}

/// <summary>
/// Connects this instance's temporary alerts queue to the bus when the service starts. The bus is
/// configured by the routing feature; the queue is added to it here so the supervisors' feature
/// stays in its own folder. Start does not wait for the broker (a Console started while RabbitMQ is
/// down still starts, and is not ready); the queue counts in the bus health that /health/ready reports.
/// </summary>
internal sealed class SupervisorAlertsEndpoint(IBus bus, IHubContext<SupervisorHub, ISupervisorClient> hub) : IHostedService
{
    private HostReceiveEndpointHandle? _handle;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _handle = bus.ConnectReceiveEndpoint(
            new TemporaryEndpointDefinition("supervisor-alerts"),
            KebabCaseEndpointNameFormatter.Instance,
            endpoint => endpoint.Consumer(() => new SupervisorAlertsConsumer(hub)));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => _handle?.StopAsync(cancellationToken) ?? Task.CompletedTask;
}
