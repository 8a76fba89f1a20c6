using Helpline.Console.Accounts;
using Helpline.Console.Staffing;

namespace Microsoft.Extensions.Hosting;

internal static class StaffingExtensions
{
    public static WebApplication MapStaffing(this WebApplication app)
    {
        app.MapGroup("/api/staffing").WithTags("Staffing").RequireAuthorization(Policies.Supervisor)
            .MapGet("/what-if", StaffingEndpoints.GetWhatIf)
            .WithName("GetStaffingWhatIf")
            .WithSummary("Advisors needed for a load (Erlang C and Erlang A)")
            .WithDescription("callsPerHour and handleTimeSeconds required; patienceSeconds (mean, for Erlang A), advisors (to see their figures), thresholdSeconds (20), serviceLevelTarget (0.8), maxAbandonRate (0.05), maxOccupancy (0.85), shrinkage (0.3) optional. Estimates from queueing models: docs/reporting.md.");
        return app;
    }
}
