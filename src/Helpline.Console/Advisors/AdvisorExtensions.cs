using System.Text.Json.Serialization;
using Helpline.Console.Accounts;
using Helpline.Console.Advisors;
using Helpline.Console.Web;
using Microsoft.AspNetCore.Authorization;
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
            })
            .AddJsonProtocol(options => options.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Services.AddSingleton<AdvisorConnections>();
        builder.Services.AddScoped<AdvisorSessions>();
        builder.Services.AddScoped<IAuthorizationHandler, CurrentSessionHandler>();
        return builder;
    }

    public static WebApplication MapAdvisorHub(this WebApplication app)
    {
        // Connecting (negotiate, WebSocket) also needs the session not to have been signed out.
        app.MapHub<AdvisorHub>(AdvisorHub.Path).RequireAuthorization(policy => policy.AddRequirements(new CurrentSessionRequirement()));
        return app;
    }
}
