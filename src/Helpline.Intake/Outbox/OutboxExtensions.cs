using Helpline.Intake;
using Helpline.Intake.Outbox;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.Hosting;

internal static class OutboxExtensions
{
    /// <summary>
    /// The outbox and the bus it drains into. A broker outage only degrades Intake: requests are
    /// still accepted and stored, and the outbox publishes them when the broker is back.
    /// </summary>
    public static IHostApplicationBuilder AddOutbox(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<OutboxOptions>()
            .BindConfiguration(OutboxOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton<IntakeMetrics>();
        builder.Services.AddHostedService<OutboxDispatcher>();
        builder.AddHelplineMessaging(_ => { }, HealthStatus.Degraded);
        return builder;
    }
}
