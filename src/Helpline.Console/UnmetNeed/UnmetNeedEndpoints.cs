using System.Text;
using Helpline.Console.Audit;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Helpline.Console.UnmetNeed;

internal static class UnmetNeedEndpoints
{
    public static async Task<Results<Ok<UnmetNeedResult>, ProblemHttpResult>> GetJson(string? period, UnmetNeedReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        return ReportPeriod.Parse(period) is { } p
            ? TypedResults.Ok(await report.RunAsync(p, cancellationToken))
            : BadPeriod();
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetCsv(string? period, UnmetNeedReport report, AuditTrail audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(audit);
        if (ReportPeriod.Parse(period) is not { } p)
        {
            return BadPeriod();
        }

        await audit.RecordAsync("report.exported", detail: $"unmet need {p.Id}", cancellationToken: cancellationToken);
        var csv = UnmetNeedCsv.Write(await report.RunAsync(p, cancellationToken));
        return TypedResults.File(Encoding.UTF8.GetBytes(csv), "text/csv; charset=utf-8", $"unmet-need-{p.Id}.csv");
    }

    private static ProblemHttpResult BadPeriod() =>
        TypedResults.Problem($"Give period as {ReportPeriod.Forms}.", statusCode: StatusCodes.Status400BadRequest, title: "The period is not valid.");
}
