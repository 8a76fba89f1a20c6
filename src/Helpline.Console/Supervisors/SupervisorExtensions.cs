using Helpline.Console.Supervisors;

namespace Microsoft.Extensions.Hosting;

internal static class SupervisorExtensions
{
    /// <summary>The supervisors' hub and this instance's share of the alerts for it. Call after the bus is added (AddContactRouting).</summary>
    public static IHostApplicationBuilder AddSupervisorHub(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHostedService<SupervisorAlertsEndpoint>();
        return builder;
    }

    public static WebApplication MapSupervisorHub(this WebApplication app)
    {
        app.MapHub<SupervisorHub>(SupervisorHub.Path);
        return app;
    }
}
