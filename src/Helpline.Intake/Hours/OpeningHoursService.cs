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

    /// <summary>The hours from <paramref name="now"/> on, with the closures as far ahead as <see cref="OpeningHours.NextOpening"/> looks.</summary>
    public Task<OpeningHours> ForAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        ForAsync(now, now.AddDays(OpeningHours.HorizonDays + 1), cancellationToken);

    /// <summary>The hours over [<paramref name="from"/>, <paramref name="until"/>), with the closures that overlap it.</summary>
    public async Task<OpeningHours> ForAsync(DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var query = db.Closures
            .AsNoTracking()
            .Where(c => c.EndsAt > from && c.StartsAt < until && c.CancelledAt == null)
            .Select(c => new ClosedPeriod(c.StartsAt, c.EndsAt));
        // Retried on a transient failure (every call's first answer reads it), except inside a caller's own
        // transaction (the email sender's), where a retrying strategy is not allowed and the caller retries the whole.
        var closures = db.Database.CurrentTransaction is null
            ? await db.RetryingStrategy().ExecuteAsync(query.ToListAsync, cancellationToken)
            : await query.ToListAsync(cancellationToken);
        var settings = options.CurrentValue;
        return new OpeningHours(settings.ToWeeklyHours(), settings.ToTimeZone(), settings.OpenOnBankHolidays ? _ => false : IsBankHoliday, closures);
    }

    public static bool IsBankHoliday(DateOnly date) => EnglandAndWales.IsBankHoliday(date.ToDateTime(TimeOnly.MinValue));
}
