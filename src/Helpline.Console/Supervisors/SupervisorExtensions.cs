using Helpline.Console.Accounts;
using Helpline.Console.Supervisors;
using MassTransit;

namespace Microsoft.Extensions.Hosting;

internal static class SupervisorExtensions
{
    /// <summary>The live dashboard: put together for the supervisors connected here, pushed on every router change.</summary>
    public static IHostApplicationBuilder AddSupervisorDashboard(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<DashboardReader>();
        builder.Services.AddSingleton<SupervisorConnections>();
        builder.Services.AddSingleton<DashboardPublisher>();
        builder.Services.AddSingleton<DeadLetterBoard>();
        builder.Services.AddHostedService(services => services.GetRequiredService<DashboardPublisher>());
        return builder;
    }

    /// <summary>Urgent contacts, delivered to the supervisors connected to this instance; every service's dead-letter counts.</summary>
    public static void AddSupervisorConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddInstanceConsumer<SupervisorAlertsConsumer>();
        bus.AddInstanceConsumer<DeadLetterReportConsumer>();
    }

    /// <summary>The supervisors' hub and their view of the router's queues.</summary>
    public static WebApplication MapSupervisors(this WebApplication app)
    {
        app.MapHub<SupervisorHub>(SupervisorHub.Path);
        app.MapGroup("/api/routing")
            .WithTags("Routing")
            .RequireAuthorization(Policies.Supervisor)
            .MapGet("/queue", QueueViewEndpoints.GetQueue)
            .WithName("GetRoutingQueue")
            .WithSummary("The queues and the advisors as of the router's latest transition");
        app.MapGet("/api/dead-letters", DeadLetterEndpoints.List)
            .WithTags("Operations")
            .RequireAuthorization(Policies.SupervisorOrAdmin)
            .WithName("ListDeadLetters")
            .WithSummary("What each service holds in its error queues and outbox dead-letter table, per place and reason (counts only), as last reported");
        return app;
    }
}
