using System.Globalization;
using System.Text;
using Helpline.Console.Audit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Helpline.Console.Reporting;

/// <summary>The reports' HTTP handlers (docs/api.md, docs/reporting.md). Supervisor role; aggregate figures only, no caller data.</summary>
internal static class ReportingEndpoints
{
    public static readonly IReadOnlyDictionary<string, ReportGrouping> Groupings = new Dictionary<string, ReportGrouping>(StringComparer.OrdinalIgnoreCase)
    {
        ["15m"] = ReportGrouping.Minutes15,
        ["30m"] = ReportGrouping.Minutes30,
        ["60m"] = ReportGrouping.Minutes60,
        ["day"] = ReportGrouping.Day,
        ["week"] = ReportGrouping.Week,
        ["month"] = ReportGrouping.Month,
    };

    public static async Task<Results<Ok<IntervalReport>, ValidationProblem>> GetIntervals(
        string? from, string? to, string? interval, int? threshold, bool? sl2ShortAbandons, ReportQueries queries, IOptions<ReportingOptions> options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(options);
        if (Read(from, to, interval ?? "day", threshold, sl2ShortAbandons, options.Value) is not { } request)
        {
            return Invalid(from, to, interval ?? "day", threshold, options.Value);
        }

        return TypedResults.Ok(await queries.RunAsync(request, options.Value, cancellationToken));
    }

    public static async Task<Results<FileContentHttpResult, ValidationProblem>> GetIntervalsCsv(
        string? from, string? to, string? interval, int? threshold, bool? sl2ShortAbandons, ReportQueries queries, IOptions<ReportingOptions> options, AuditTrail audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(audit);
        if (Read(from, to, interval ?? "day", threshold, sl2ShortAbandons, options.Value) is not { } request)
        {
            return Invalid(from, to, interval ?? "day", threshold, options.Value);
        }

        var report = await queries.RunAsync(request, options.Value, cancellationToken);
        await audit.RecordAsync("report.exported", detail: string.Create(CultureInfo.InvariantCulture, $"calls {request.From:yyyy-MM-dd} to {request.To:yyyy-MM-dd} by {interval ?? "day"}"), cancellationToken: cancellationToken);
        await using var text = new StringWriter(CultureInfo.InvariantCulture);
        await ReportCsv.WriteAsync(report, text, cancellationToken);
        var name = string.Create(CultureInfo.InvariantCulture, $"helpline-calls-{request.From:yyyy-MM-dd}-to-{request.To:yyyy-MM-dd}-{interval ?? "day"}.csv");
        return TypedResults.File(Encoding.UTF8.GetBytes(text.ToString()), "text/csv; charset=utf-8", name);
    }

    public static async Task<Results<Ok<StaffingReport>, ValidationProblem>> GetStaffing(
        string? from, string? to, string? interval, int? threshold, ReportQueries queries, IOptions<ReportingOptions> options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(options);
        var grouping = interval ?? "30m";
        if (Read(from, to, grouping, threshold, null, options.Value) is not { } request || !StaffingReports.Supports(request.Interval))
        {
            var invalid = Errors(from, to, grouping, threshold, options.Value);
            if (invalid.Count == 0)
            {
                invalid["interval"] = ["Staffing is estimated per 15, 30 or 60 minutes (15m, 30m, 60m): arrivals change too much over a day for one figure."];
            }

            return TypedResults.ValidationProblem(invalid, title: "The staffing report's parameters are not valid.");
        }

        var report = await queries.RunAsync(request, options.Value, cancellationToken);
        return TypedResults.Ok(StaffingReports.Build(report, options.Value.Staffing));
    }

    public static async Task<Results<Ok<HeatMapReport>, ValidationProblem>> GetUnansweredByHour(
        string? from, string? to, ReportQueries queries, IOptions<ReportingOptions> options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(options);
        if (Read(from, to, "day", null, null, options.Value) is not { } request)
        {
            return Invalid(from, to, "day", null, options.Value);
        }

        return TypedResults.Ok(await queries.UnansweredByHourAsync(request.From, request.To, options.Value, cancellationToken));
    }

    private static ReportRequest? Read(string? from, string? to, string interval, int? threshold, bool? sl2ShortAbandons, ReportingOptions options) =>
        Errors(from, to, interval, threshold, options).Count > 0
            ? null
            : new ReportRequest(Date(from)!.Value, Date(to)!.Value, Groupings[interval], threshold ?? options.ServiceLevelThresholdSeconds, sl2ShortAbandons ?? options.ShortAbandonsInServiceLevel2);

    private static ValidationProblem Invalid(string? from, string? to, string interval, int? threshold, ReportingOptions options) =>
        TypedResults.ValidationProblem(Errors(from, to, interval, threshold, options), title: "The report's parameters are not valid.");

    private static Dictionary<string, string[]> Errors(string? from, string? to, string interval, int? threshold, ReportingOptions options)
    {
        var errors = new Dictionary<string, string[]>();
        var (start, end) = (Date(from), Date(to));
        if (start is null)
        {
            errors["from"] = ["Give the first day as yyyy-MM-dd (local date in the helpline's time zone)."];
        }

        if (end is null)
        {
            errors["to"] = ["Give the last day (included) as yyyy-MM-dd."];
        }
        else if (start is not null && end < start)
        {
            errors["to"] = ["The last day is before the first."];
        }

        if (!Groupings.TryGetValue(interval, out var grouping))
        {
            errors["interval"] = ["The interval is one of 15m, 30m, 60m, day, week, month."];
        }
        else if (start is not null && end is not null && end >= start && Count(start.Value, end.Value, grouping) > options.MaxIntervals)
        {
            errors["interval"] = [string.Create(CultureInfo.InvariantCulture, $"That is more than {options.MaxIntervals} intervals: take a shorter range or longer intervals.")];
        }

        if (threshold is < 1 or > 3600)
        {
            errors["threshold"] = ["The service-level threshold is a whole number of seconds from 1 to 3600."];
        }

        return errors;
    }

    /// <summary>An upper bound on the intervals (without building them).</summary>
    private static long Count(DateOnly from, DateOnly to, ReportGrouping grouping)
    {
        var days = to.DayNumber - from.DayNumber + 1L;
        return grouping switch
        {
            ReportGrouping.Minutes15 => days * 96,
            ReportGrouping.Minutes30 => days * 48,
            ReportGrouping.Minutes60 => days * 24,
            ReportGrouping.Day => days,
            ReportGrouping.Week => (days / 7) + 2,
            _ => (days / 28) + 2,
        };
    }

    private static DateOnly? Date(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) && date.Year is >= 2000 and <= 9998 ? date : null;
}
