using Helpline.Console.Accounts;
using Helpline.Console.Reporting;

namespace Microsoft.Extensions.Hosting;

internal static class ReportingExtensions
{
    /// <summary>Reports over the router's events (section <c>Reporting</c>).</summary>
    public static IHostApplicationBuilder AddReporting(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ReportingOptions>()
            .BindConfiguration(ReportingOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddScoped<ReportQueries>();
        return builder;
    }

    public static WebApplication MapReporting(this WebApplication app)
    {
        var reports = app.MapGroup("/api/reports").WithTags("Reports").RequireAuthorization(Policies.Supervisor);
        reports.MapGet("/intervals", ReportingEndpoints.GetIntervals)
            .WithName("GetIntervalReport")
            .WithSummary("Calls, callers, service, capacity and emails per interval")
            .WithDescription("Local dates from and to (both included) in Europe/London; interval 15m, 30m, 60m, day (default), week or month; threshold: T in seconds for SL(T) and SL2(T) (default 20); sl2ShortAbandons: whether short abandons count in SL2 (default false). The last row (totals) is the whole range, people counted once. Definitions: docs/reporting.md.");
        reports.MapGet("/intervals.csv", ReportingEndpoints.GetIntervalsCsv)
            .WithName("GetIntervalReportCsv")
            .WithSummary("The interval report as CSV")
            .WithDescription("The same parameters and figures as /api/reports/intervals, one line per interval and a last line (row = total) for the range. Columns: docs/reporting.md.")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv");
        reports.MapGet("/staffing", ReportingEndpoints.GetStaffing)
            .WithName("GetStaffingReport")
            .WithSummary("Advisors needed per interval (Erlang C and A), beside those staffed")
            .WithDescription("Interval 15m, 30m (default) or 60m. Estimates, not counts: see docs/reporting.md for the models and their assumptions.");
        reports.MapGet("/unanswered-by-hour", ReportingEndpoints.GetUnansweredByHour)
            .WithName("GetUnansweredByHour")
            .WithSummary("Calls received and unanswered by local weekday and hour");
        return app;
    }
}
