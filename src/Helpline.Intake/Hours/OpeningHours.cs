using System.Globalization;
using System.Text;

namespace Helpline.Intake.Hours;

/// <summary>A period when the helpline is closed although the weekly hours say open (a training afternoon).</summary>
internal sealed record ClosedPeriod(DateTimeOffset Starts, DateTimeOffset Ends)
{
    public bool Contains(DateTimeOffset instant) => Starts <= instant && instant < Ends;
}

/// <summary>
/// Whether the helpline is open at an instant, and when it next opens: weekly hours in the helpline's
/// time zone (so BST and GMT are both right), minus bank holidays, minus special closures. Pure: no
/// clock, no I/O; the caller passes the instant and the closures that matter.
/// </summary>
internal sealed class OpeningHours(WeeklyHours week, TimeZoneInfo zone, Func<DateOnly, bool> isBankHoliday, IReadOnlyCollection<ClosedPeriod> closures)
{
    /// <summary>How far ahead <see cref="NextOpening"/> looks before giving up.</summary>
    public const int HorizonDays = 366;

    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-GB");

    public bool IsOpen(DateTimeOffset instant)
    {
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        var date = DateOnly.FromDateTime(local.DateTime);
        if (isBankHoliday(date) || week.On(date.DayOfWeek) is not { } session)
        {
            return false;
        }

        var time = local.TimeOfDay;
        return session.Opens <= time && time < session.Closes && !closures.Any(c => c.Contains(instant));
    }

    /// <summary>
    /// How much of [<paramref name="from"/>, <paramref name="until"/>) the helpline was open: the weekly
    /// sessions, less bank holidays and the closures (overlapping closures count once). Zero when
    /// <paramref name="until"/> is not after <paramref name="from"/>.
    /// </summary>
    public TimeSpan OpenTimeBetween(DateTimeOffset from, DateTimeOffset until)
    {
        var open = TimeSpan.Zero;
        var last = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(until, zone).DateTime);
        for (var date = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(from, zone).DateTime); date <= last && from < until; date = date.AddDays(1))
        {
            if (isBankHoliday(date) || week.On(date.DayOfWeek) is not { } session)
            {
                continue;
            }

            var start = Later(ToInstant(date, session.Opens), from);
            var end = Earlier(ToInstant(date, session.Closes), until);
            if (start < end)
            {
                open += end - start - ClosedWithin(start, end);
            }
        }

        return open;
    }

    /// <summary>The first instant at or after <paramref name="instant"/> when the helpline is open; null if none within a year.</summary>
    public DateTimeOffset? NextOpening(DateTimeOffset instant)
    {
        var start = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);
        for (var day = 0; day <= HorizonDays; day++)
        {
            var date = start.AddDays(day);
            if (isBankHoliday(date) || week.On(date.DayOfWeek) is not { } session)
            {
                continue;
            }

            var opens = ToInstant(date, session.Opens);
            var closes = ToInstant(date, session.Closes);
            var candidate = Later(opens, instant);
            while (candidate < closes && closures.FirstOrDefault(c => c.Contains(candidate)) is { } closure)
            {
                candidate = closure.Ends;
            }

            if (candidate < closes)
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>The weekly hours in words: "Monday, Tuesday, Thursday and Friday from 9:30am to 4pm, and Wednesday from 1pm to 4pm".</summary>
    public string DescribeWeek()
    {
        var groups = Enum.GetValues<DayOfWeek>()
            .OrderBy(d => ((int)d + 6) % 7)
            .Where(d => week.On(d) is not null)
            .GroupBy(d => week.On(d)!)
            .Select(g => $"{JoinWords(g.Select(d => d.ToString()).ToList())} from {Speak(g.Key.Opens)} to {Speak(g.Key.Closes)}")
            .ToList();
        return groups.Count == 0 ? "no regular hours" : string.Join(", and ", groups);
    }

    /// <summary>A local time in words for a phone message: "Tuesday 31 March at 9:30am".</summary>
    public string Speak(DateTimeOffset instant)
    {
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        return $"{local.ToString("dddd d MMMM", English)} at {Speak(local.TimeOfDay)}";
    }

    private static string Speak(TimeSpan time)
    {
        if (time == TimeSpan.FromHours(24))
        {
            return "midnight";
        }

        var hour = time.Hours % 12 == 0 ? 12 : time.Hours % 12;
        var suffix = time.Hours < 12 ? "am" : "pm";
        return time.Minutes == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{hour}{suffix}")
            : string.Create(CultureInfo.InvariantCulture, $"{hour}:{time.Minutes:00}{suffix}");
    }

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Earlier(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    /// <summary>The closed part of [start, end): the closures clipped to it, merged where they overlap.</summary>
    private TimeSpan ClosedWithin(DateTimeOffset start, DateTimeOffset end)
    {
        var closed = TimeSpan.Zero;
        var reached = start;
        foreach (var closure in closures.Where(c => c.Starts < end && c.Ends > start).OrderBy(c => c.Starts))
        {
            var from = Later(closure.Starts, reached);
            var until = Earlier(closure.Ends, end);
            if (from < until)
            {
                closed += until - from;
                reached = until;
            }
        }

        return closed;
    }

    private static string JoinWords(List<string> words) =>
        words.Count == 1 ? words[0] : new StringBuilder(string.Join(", ", words.Take(words.Count - 1))).Append(" and ").Append(words[^1]).ToString();

    private DateTimeOffset ToInstant(DateOnly date, TimeSpan time)
    {
        var local = date.ToDateTime(TimeOnly.MinValue) + time;
        if (zone.IsInvalidTime(local))
        {
            // A time skipped when the clocks go forward: the opening happens at the first valid minute after it.
            local = local.AddHours(1);
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }
}
