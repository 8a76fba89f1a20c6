using Microsoft.AspNetCore.Http.HttpResults;

namespace Helpline.Intake.Hours;

/// <summary>Whether the helpline is open: public, as the helpline's website publishes its hours.</summary>
internal static class OpeningHoursEndpoints
{
    public static async Task<Ok<OpeningHoursView>> GetOpeningHours(OpeningHoursService hours, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var calculator = await hours.ForAsync(now, cancellationToken);
        return TypedResults.Ok(new OpeningHoursView(calculator.IsOpen(now), calculator.NextOpening(now), calculator.DescribeWeek()));
    }
}

/// <summary>Answer to <c>GET /api/opening-hours</c>.</summary>
internal sealed record OpeningHoursView(bool Open, DateTimeOffset? NextOpening, string Week);
