using System.Globalization;
using System.Text.RegularExpressions;

namespace Helpline.Console.UnmetNeed;

/// <summary>
/// A reporting period in England and Wales' days: a month (<c>2026-11</c>), a quarter (<c>2026-Q2</c>:
/// April to June, also the financial year's first quarter) or a financial year, April to March
/// (<c>FY2026-27</c>). A contact falls in the period its arrival's Europe/London date falls in.
/// </summary>
internal sealed partial record ReportPeriod(string Id, string Label, DateOnly Start, DateOnly End)
{
    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-GB");

    /// <summary>The period's first instant (inclusive) and the next period's (exclusive), in UTC.</summary>
    public (DateTimeOffset From, DateTimeOffset To) Instants => (Instant(Start), Instant(End.AddDays(1)));

    public static ReportPeriod? Parse(string? id)
    {
        var value = id?.Trim() ?? "";
        if (Month().Match(value) is { Success: true } m && Year(m.Groups[1].Value) is { } my && int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) is var month and >= 1 and <= 12)
        {
            var start = new DateOnly(my, month, 1);
            return new(value, start.ToString("MMMM yyyy", English), start, start.AddMonths(1).AddDays(-1));
        }

        if (Quarter().Match(value) is { Success: true } q && Year(q.Groups[1].Value) is { } qy)
        {
            var quarter = int.Parse(q.Groups[2].Value, CultureInfo.InvariantCulture);
            var start = new DateOnly(qy, ((quarter - 1) * 3) + 1, 1);
            var end = start.AddMonths(3).AddDays(-1);
            var fyStart = start.Month >= 4 ? start.Year : start.Year - 1;
            var fyQuarter = ((quarter + 2) % 4) + 1;
            return new(value, $"{start.ToString("MMM", English)}–{end.ToString("MMM yyyy", English)} ({FinancialYear(fyStart)} Q{fyQuarter})", start, end);
        }

        if (Financial().Match(value) is { Success: true } f && Year(f.Groups[1].Value) is { } fy && int.Parse(f.Groups[2].Value, CultureInfo.InvariantCulture) == (fy + 1) % 100)
        {
            var start = new DateOnly(fy, 4, 1);
            return new(value, $"Financial year {FinancialYear(fy)} (April {fy} to March {fy + 1})", start, start.AddYears(1).AddDays(-1));
        }

        return null;
    }

    public const string Forms = "a month (2026-11), a quarter (2026-Q2 is April to June) or a financial year (FY2026-27, April to March)";

    private static string FinancialYear(int startYear) => $"FY{startYear}-{(startYear + 1) % 100:00}";

    private static int? Year(string digits) => int.Parse(digits, CultureInfo.InvariantCulture) is var y and >= 2000 and <= 2100 ? y : null;

    private static DateTimeOffset Instant(DateOnly date)
    {
        var local = date.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, London.GetUtcOffset(local)).ToUniversalTime();
    }

    [GeneratedRegex(@"^(\d{4})-(\d{2})$")]
    private static partial Regex Month();

    [GeneratedRegex(@"^(\d{4})-Q([1-4])$")]
    private static partial Regex Quarter();

    [GeneratedRegex(@"^FY(\d{4})-(\d{2})$")]
    private static partial Regex Financial();
}
