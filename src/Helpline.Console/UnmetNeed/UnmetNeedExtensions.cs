using Helpline.Console.Accounts;
using Helpline.Console.UnmetNeed;

namespace Microsoft.Extensions.Hosting;

internal static class UnmetNeedExtensions
{
    /// <summary>The unmet-need report by commissioning area (docs/unmet-need.md).</summary>
    public static IHostApplicationBuilder AddUnmetNeed(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<UnmetNeedReport>();
        return builder;
    }

    public static WebApplication MapUnmetNeed(this WebApplication app)
    {
        var reports = app.MapGroup("/api/reports").WithTags("Unmet need");
        reports.MapGet("/unmet-need", UnmetNeedEndpoints.GetJson).RequireAuthorization(Policies.Supervisor)
            .WithName("GetUnmetNeed").WithSummary("Unmet need per commissioning area over a month, quarter or financial year (definitions in docs/unmet-need.md)");
        reports.MapGet("/unmet-need.csv", UnmetNeedEndpoints.GetCsv).RequireAuthorization(Policies.Supervisor)
            .WithName("GetUnmetNeedCsv").WithSummary("The same report as CSV, with stable documented columns");
        return app;
    }
}
