using System.Text.Json.Serialization;
using Helpline.Console.Advisors;
using Helpline.Console.Web;
using Microsoft.AspNetCore.SignalR;

namespace Microsoft.Extensions.Hosting;

internal static class AdvisorExtensions
{
    public static IHostApplicationBuilder AddAdvisorHub(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSignalR(options =>
            {
                options.MaximumReceiveMessageSize = 8 * 1024;
                options.AddFilter<HubFailureLogging>();
            })
            .AddJsonProtocol(options => options.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        return builder;
    }

    public static WebApplication MapAdvisorHub(this WebApplication app)
    {
        app.MapHub<AdvisorHub>(AdvisorHub.Path);
        return app;
    }
}
