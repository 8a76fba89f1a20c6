using Helpline.Intake.Hours;
using Helpline.Intake.Web;
using MassTransit;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Opening hours (configuration) and special closures (managed by supervisors in Console, applied here
/// from its messages: Intake has no door to change them).
/// </summary>
internal static class OpeningHoursExtensions
{
    public static IHostApplicationBuilder AddOpeningHours(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<OpeningHoursOptions>(OpeningHoursOptions.Section);
        builder.Services.AddScoped<OpeningHoursService>();
        return builder;
    }

    public static void AddOpeningHoursConsumers(this IBusRegistrationConfigurator bus) =>
        bus.AddConsumer<SpecialClosureConsumers>();

    public static WebApplication MapOpeningHours(this WebApplication app)
    {
        app.MapGet("/api/opening-hours", OpeningHoursEndpoints.GetOpeningHours)
            .WithTags("Opening hours")
            .WithName("GetOpeningHours")
            .WithSummary("Whether the helpline is open now, when it next opens, and the weekly hours")
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .AllowAnonymous()
            .RequireRateLimiting(RateLimitOptions.AnonymousPolicy);
        return app;
    }
}
