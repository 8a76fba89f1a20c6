using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace Helpline.Intake.Hours;

/// <summary>
/// The helpline's weekly hours, section <c>OpeningHours</c>. Each day is <c>"HH:mm-HH:mm"</c> in the
/// helpline's time zone (the closing may be <c>24:00</c>, the end of the day), or empty when closed all day.
/// England and Wales bank holidays are closed unless <see cref="OpenOnBankHolidays"/>; special closures are
/// data supervisors manage in Console, not configuration.
/// </summary>
internal sealed class OpeningHoursOptions : IValidatableObject
{
    public const string Section = "OpeningHours";

    /// <summary>IANA time zone id; the helpline works to UK time (GMT in winter, BST in summer).</summary>
    [Required]
    public string TimeZone { get; set; } = "Europe/London";

    public string? Monday { get; set; } = "09:30-16:00";

    public string? Tuesday { get; set; } = "09:30-16:00";

    public string? Wednesday { get; set; } = "13:00-16:00";

    public string? Thursday { get; set; } = "09:30-16:00";

    public string? Friday { get; set; } = "09:30-16:00";

    public string? Saturday { get; set; }

    public string? Sunday { get; set; }

    /// <summary>Keep the weekly hours on England and Wales bank holidays too (a round-the-clock line); false: closed on them.</summary>
    public bool OpenOnBankHolidays { get; set; }

    public WeeklyHours ToWeeklyHours() => new(Enum.GetValues<DayOfWeek>().ToDictionary(day => day, day => Session.Parse(For(day))));

    public TimeZoneInfo ToTimeZone() => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _))
        {
            yield return new ValidationResult($"Unknown time zone '{TimeZone}'.", [nameof(TimeZone)]);
        }

        foreach (var day in Enum.GetValues<DayOfWeek>())
        {
            if (!Session.TryParse(For(day), out _))
            {
                yield return new ValidationResult($"{day} must be empty (closed) or \"HH:mm-HH:mm\" with the opening before the closing.", [day.ToString()]);
            }
        }
    }

    private string? For(DayOfWeek day) => day switch
    {
        DayOfWeek.Monday => Monday,
        DayOfWeek.Tuesday => Tuesday,
        DayOfWeek.Wednesday => Wednesday,
        DayOfWeek.Thursday => Thursday,
        DayOfWeek.Friday => Friday,
        DayOfWeek.Saturday => Saturday,
        _ => Sunday,
    };
}

/// <summary>
/// One opening on a day, from <see cref="Opens"/> (inclusive) to <see cref="Closes"/> (exclusive), local
/// wall-clock time as the time since midnight (so a session can close at 24:00, the end of the day).
/// </summary>
internal sealed record Session(TimeSpan Opens, TimeSpan Closes)
{
    private static readonly TimeSpan EndOfDay = TimeSpan.FromHours(24);

    public static Session? Parse(string? text) =>
        TryParse(text, out var session) ? session : throw new FormatException("Not an opening session.");

    public static bool TryParse(string? text, out Session? session)
    {
        session = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        var parts = text.Split('-', StringSplitOptions.TrimEntries);
        if (parts.Length == 2
            && TimeOnly.TryParseExact(parts[0], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var opens)
            && TryParseClosing(parts[1], out var closes)
            && opens.ToTimeSpan() < closes)
        {
            session = new Session(opens.ToTimeSpan(), closes);
            return true;
        }

        return false;
    }

    private static bool TryParseClosing(string text, out TimeSpan closes)
    {
        closes = EndOfDay;
        if (text == "24:00")
        {
            return true;
        }

        var parsed = TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time);
        closes = time.ToTimeSpan();
        return parsed;
    }
}

/// <summary>The opening session of each day of the week; a missing or null day is closed.</summary>
internal sealed class WeeklyHours(IReadOnlyDictionary<DayOfWeek, Session?> days)
{
    public Session? On(DayOfWeek day) => days.TryGetValue(day, out var session) ? session : null;
}
