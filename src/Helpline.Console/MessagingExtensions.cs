using Helpline.Console.Data;
using Helpline.Console.RouterHosting;
using Helpline.Contracts;
using MassTransit;

namespace Microsoft.Extensions.Hosting;

internal static class ConsoleMessagingExtensions
{
    /// <summary>
    /// The bus, with every feature's consumers (each feature's <c>AddXConsumers</c>), and the
    /// transactional outbox that drains into it.
    /// </summary>
    public static IHostApplicationBuilder AddConsoleMessaging(this IHostApplicationBuilder builder)
    {
        builder.AddHelplineMessaging(bus =>
        {
            bus.AddRouterConsumers();
            bus.AddAccountConsumers();
            bus.AddAdvisorConsumers();
            bus.AddSupervisorConsumers();
            bus.AddEmailConsumers();
            bus.AddReferralConsumers();
        });

        // After the bus, so that the outbox stops publishing before the bus stops (hosted services stop
        // in reverse order). Advisors' notifications and hold-message positions each keep their own order
        // but need none relative to the calls' commands to Intake: a long queue's positions must not
        // delay an offer.
        builder.AddTransactionalOutbox<ConsoleDbContext>(typeof(AdvisorNotifications), typeof(CallQueuePositions));
        return builder;
    }

    /// <summary>
    /// A consumer on a temporary queue of this instance's own, so that every Console instance gets its
    /// own copy of each message: how notifications reach the hub connections each instance holds
    /// (RabbitMQ as the SignalR backplane).
    /// </summary>
    public static void AddInstanceConsumer<TConsumer>(this IBusRegistrationConfigurator bus)
        where TConsumer : class, IConsumer
    {
        var instance = $"{Environment.ProcessId}-{Guid.NewGuid():N}";
        bus.AddConsumer<TConsumer>().Endpoint(endpoint =>
        {
            endpoint.InstanceId = instance;
            endpoint.Temporary = true;
        });
    }
}
