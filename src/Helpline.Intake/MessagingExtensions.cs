using Helpline.Intake;
using Helpline.Intake.Data;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.Hosting;

internal static class IntakeMessagingExtensions
{
    /// <summary>
    /// The transactional outbox and the bus it drains into, with Console's telephony and email commands
    /// consumed from it. A broker outage only degrades Intake: requests are still accepted and
    /// stored, and the outbox publishes them when the broker is back.
    /// </summary>
    public static IHostApplicationBuilder AddIntakeMessaging(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IntakeMetrics>();
        builder.AddHelplineMessaging(
            bus =>
            {
                bus.AddTelephonyConsumers();
                bus.AddEmailConsumers();
                bus.AddOpeningHoursConsumers();
            },
            HealthStatus.Degraded);
        // After the bus, so that the outbox stops publishing before the bus stops (hosted services stop in reverse order).
        builder.AddTransactionalOutbox<IntakeDbContext>();
        return builder;
    }
}
