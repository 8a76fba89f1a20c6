using Helpline.Console;
using Helpline.Console.Advisors;
using Helpline.Console.Data;
using Helpline.Console.Routing;
using MassTransit;

namespace Microsoft.Extensions.Hosting;

internal static class RoutingExtensions
{
    /// <summary>
    /// The router (active on one instance at a time through the routing queue), the outbox its
    /// transitions write to, and this instance's share of the advisor notifications.
    /// </summary>
    public static IHostApplicationBuilder AddContactRouting(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RoutingSettings>()
            .BindConfiguration(RoutingSettings.Section)
            .ValidateDataAnnotations()
            .Validate(settings =>
            {
                settings.ToOptions().Validate();
                return true;
            })
            .ValidateOnStart();
        builder.Services.AddSingleton<RouterHost>();
        builder.Services.AddHostedService(services => services.GetRequiredService<RouterHost>());
        builder.Services.AddSingleton<RouterStateReader>();
        builder.Services.AddScoped<AdvisorCommandHandler>();
        builder.Services.AddScoped<AdvisorCommands>();
        builder.Services.AddSingleton<RoutingMetrics>();
        builder.Services.AddSingleton<ConsoleMetrics>();

        var instance = $"{Environment.ProcessId}-{Guid.NewGuid():N}";
        builder.AddHelplineMessaging(bus =>
        {
            bus.AddConsumer<RoutingConsumer>(typeof(RoutingConsumerDefinition));
            bus.AddConsumer<AdvisorNotificationsConsumer>()
                .Endpoint(endpoint =>
                {
                    endpoint.InstanceId = instance;
                    endpoint.Temporary = true;
                });
            bus.AddRequestClient<AdvisorCommand>(RoutingSettings.Address, RequestTimeout.After(s: 15));
        });

        // After the bus, so that the outbox stops publishing before the bus stops (hosted services stop
        // in reverse order). Advisors' notifications and hold-message positions each keep their own order
        // but need none relative to the calls' commands to Intake: a long queue's positions must not
        // delay an offer.
        builder.AddTransactionalOutbox<ConsoleDbContext>(typeof(AdvisorNotifications), typeof(Helpline.Contracts.CallQueuePositions));
        return builder;
    }
}
