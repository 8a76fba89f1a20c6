using Helpline.Console;
using Helpline.Console.RouterHosting;
using MassTransit;

namespace Microsoft.Extensions.Hosting;

internal static class RouterHostingExtensions
{
    /// <summary>
    /// The router: the pure routing core hosted by <see cref="RouterHost"/>, active on one instance at a
    /// time through the routing queue, and where advisors' commands go (<see cref="AdvisorCommands"/>).
    /// </summary>
    public static IHostApplicationBuilder AddRouterHosting(this IHostApplicationBuilder builder)
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
        return builder;
    }

    /// <summary>The routing queue's consumer (every routing input) and the client advisors' commands are sent to it with.</summary>
    public static void AddRouterConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<RoutingConsumer>(typeof(RoutingConsumerDefinition));
        bus.AddRequestClient<AdvisorCommandRequest>(RoutingSettings.Address, RequestTimeout.After(s: 15));
    }
}
