using System.Globalization;
using System.Text.Json.Serialization;

namespace Helpline.Console.Reporting;

/// <summary>How a report's range is cut into rows.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ReportGrouping>))]
internal enum ReportGrouping
{
    Minutes15,
    Minutes30,
    Minutes60,
    Day,
    Week,
    Month,
}

/// <summary>
/// One row of a report: from <see cref="Start"/> (inclusive) to <see cref="End"/> (exclusive), whose
/// boundaries are local wall-clock times in the helpline's zone. An interval that spans a clock change
/// has its real length (<see cref="Length"/>), not the nominal one, and says so in its label.
/// </summary>
internal sealed record ReportInterval(DateTimeOffset Start, DateTimeOffset End, DateTime LocalStart, DateTime LocalEnd, bool SpansClockChange, string Label)
{
    public TimeSpan Length => End - Start;
}

/// <summary>
/// Cuts a range of local dates into report intervals in a time zone (Europe/London for the helpline).
/// Boundaries are local wall-clock times: 15, 30 or 60 minutes from local midnight, local midnights,
/// Mondays, the first of each month. A boundary in the hour skipped when the clocks go forward is the
/// moment of the change (so the intervals inside the missing hour have no length and are left out); a
/// boundary in the hour that happens twice when the clocks go back is its first occurrence (so the last
/// interval of that hour runs through the repeat: 01:00–02:00 lasts two hours, 01:30–02:00 ninety minutes).
/// </summary>
internal static class ReportIntervals
{
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-GB");

    /// <summary>The intervals covering <paramref name="from"/> to <paramref name="to"/> (both inclusive), in order, contiguous.</summary>
    public static IReadOnlyList<ReportInterval> Build(DateOnly from, DateOnly to, ReportGrouping grouping, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        if (to < from)
        {
            throw new ArgumentOutOfRangeException(nameof(to), to, "The range ends before it starts.");
        }

        var rangeStart = from.ToDateTime(TimeOnly.MinValue);
        var rangeEnd = to.AddDays(1).ToDateTime(TimeOnly.MinValue);
        var intervals = new List<ReportInterval>();
        var local = rangeStart;
        while (local < rangeEnd)
        {
            var next = Min(Next(local, grouping), rangeEnd);
            var start = ToInstant(local, zone);
            var end = ToInstant(next, zone);
            if (end > start)
            {
                var spans = zone.GetUtcOffset(start) != zone.GetUtcOffset(end.AddTicks(-1));
                intervals.Add(new ReportInterval(start, end, local, next, spans, Label(local, next, end - start, grouping, spans)));
            }

            local = next;
        }

        return intervals;
    }

    /// <summary>The instant a local wall-clock time stands for (see the class remarks for the hours a clock change skips or repeats).</summary>
    public static DateTimeOffset ToInstant(DateTime local, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            var after = local;
            while (zone.IsInvalidTime(after))
            {
                after = after.AddMinutes(1);
            }

            // The first valid minute after the gap is the moment of the change (02:00 BST = 01:00 UTC).
            return new DateTimeOffset(after, zone.GetUtcOffset(after));
        }

        if (zone.IsAmbiguousTime(local))
        {
            var offsets = zone.GetAmbiguousTimeOffsets(local);
            return new DateTimeOffset(local, offsets.Max());
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    private static DateTime Next(DateTime local, ReportGrouping grouping) => grouping switch
    {
        ReportGrouping.Minutes15 => local.AddMinutes(15),
        ReportGrouping.Minutes30 => local.AddMinutes(30),
        ReportGrouping.Minutes60 => local.AddHours(1),
        ReportGrouping.Day => local.Date.AddDays(1),
        ReportGrouping.Week => local.Date.AddDays(7 - (((int)local.DayOfWeek + 6) % 7)),
        _ => new DateTime(local.Year, local.Month, 1, 0, 0, 0, DateTimeKind.Unspecified).AddMonths(1),
    };

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;

    private static string Label(DateTime start, DateTime end, TimeSpan length, ReportGrouping grouping, bool spansClockChange)
    {
        var text = grouping switch
        {
            ReportGrouping.Day => start.ToString("ddd d MMM yyyy", English),
            ReportGrouping.Week => $"Week from {start.ToString("ddd d MMM yyyy", English)}",
            ReportGrouping.Month => start.Day == 1 && end.Day == 1 ? start.ToString("MMMM yyyy", English) : $"{start.ToString("d MMM", English)}–{end.AddDays(-1).ToString("d MMM yyyy", English)}",
            _ => $"{start.ToString("ddd d MMM yyyy HH:mm", English)}–{end.ToString("HH:mm", English)}",
        };
        if (grouping == ReportGrouping.Week && (end - start).TotalDays < 7)
        {
            text += $" to {end.AddDays(-1).ToString("ddd d MMM", English)}";
        }

        return spansClockChange ? $"{text} ({Duration(length)}, clocks changed)" : text;
    }

    /// <summary>"23 hours", "1 hour 30 minutes", "25 hours", "30 days 23 hours".</summary>
    public static string Duration(TimeSpan length)
    {
        var parts = new List<string>();
        if (length.Days > 0 && length.TotalHours > 48)
        {
            parts.Add(Plural(length.Days, "day"));
            length -= TimeSpan.FromDays(length.Days);
        }

        var hours = (int)length.TotalHours;
        if (hours > 0)
        {
            parts.Add(Plural(hours, "hour"));
        }

        if (length.Minutes > 0)
        {
            parts.Add(Plural(length.Minutes, "minute"));
        }

        return parts.Count == 0 ? "0 minutes" : string.Join(' ', parts);
    }

    private static string Plural(int n, string unit) => string.Create(CultureInfo.InvariantCulture, $"{n} {unit}{(n == 1 ? string.Empty : "s")}");
}
