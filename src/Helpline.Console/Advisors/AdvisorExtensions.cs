using System.Text.Json.Serialization;
using Helpline.Console.Accounts;
using Helpline.Console.Advisors;
using Helpline.Console.Web;
using MassTransit;
using Microsoft.AspNetCore.SignalR;

namespace Microsoft.Extensions.Hosting;

internal static class AdvisorExtensions
{
    public static IHostApplicationBuilder AddAdvisorHub(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSignalR(options =>
            {
                options.MaximumReceiveMessageSize = 8 * 1024;
                options.AddFilter<ShuttingDownHubFilter>();
                options.AddFilter<HubFailureLogging>();
                options.AddFilter<CurrentSessionHubFilter>();
            })
            .AddJsonProtocol(options => options.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Services.AddScoped<AdvisorSessions>();
        return builder;
    }

    /// <summary>The router's notifications, delivered to the advisors connected to this instance.</summary>
    public static void AddAdvisorConsumers(this IBusRegistrationConfigurator bus) =>
        bus.AddInstanceConsumer<AdvisorNotificationsConsumer>();

    public static WebApplication MapAdvisorHub(this WebApplication app)
    {
        app.MapHub<AdvisorHub>(AdvisorHub.Path);
        return app;
    }
}
