using Helpline.Intake.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PublicHoliday;

namespace Helpline.Intake.Hours;

/// <summary>
/// Builds <see cref="OpeningHours"/> for now: the configured week, England and Wales bank holidays, and
/// the special closures read from the database on every call, so a closure a supervisor adds or cancels
/// in Console applies to the next call after its message arrives, without a restart.
/// </summary>
internal sealed class OpeningHoursService(IntakeDbContext db, IOptionsMonitor<OpeningHoursOptions> options)
{
    private static readonly UKBankHoliday EnglandAndWales = new(UKBankHoliday.UkCountries.England);

    public async Task<OpeningHours> ForAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var horizon = now.AddDays(OpeningHours.HorizonDays + 1);
        var closures = await db.Closures
            .AsNoTracking()
            .Where(c => c.EndsAt > now && c.StartsAt < horizon && c.CancelledAt == null)
            .Select(c => new ClosedPeriod(c.StartsAt, c.EndsAt))
            .ToListAsync(cancellationToken);
        var settings = options.CurrentValue;
        return new OpeningHours(settings.ToWeeklyHours(), settings.ToTimeZone(), IsBankHoliday, closures);
    }

    public static bool IsBankHoliday(DateOnly date) => EnglandAndWales.IsBankHoliday(date.ToDateTime(TimeOnly.MinValue));
}
