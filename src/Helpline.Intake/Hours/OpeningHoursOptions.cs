using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace Helpline.Intake.Hours;

/// <summary>
/// The helpline's weekly hours, section <c>OpeningHours</c>. Each day is <c>"HH:mm-HH:mm"</c> in the
/// helpline's time zone, or empty when closed all day. England and Wales bank holidays are always closed;
/// special closures are data supervisors manage in Console, not configuration.
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

/// <summary>One opening on a day, from <see cref="Opens"/> (inclusive) to <see cref="Closes"/> (exclusive), local time.</summary>
internal sealed record Session(TimeOnly Opens, TimeOnly Closes)
{
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
            && TimeOnly.TryParseExact(parts[1], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var closes)
            && opens < closes)
        {
            session = new Session(opens, closes);
            return true;
        }

        return false;
    }
}

/// <summary>The opening session of each day of the week; a missing or null day is closed.</summary>
internal sealed class WeeklyHours(IReadOnlyDictionary<DayOfWeek, Session?> days)
{
    public Session? On(DayOfWeek day) => days.TryGetValue(day, out var session) ? session : null;
}
