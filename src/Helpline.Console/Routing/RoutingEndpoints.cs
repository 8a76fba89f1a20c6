using Helpline.Console.Accounts;
using Helpline.Console.Data;
using Helpline.Console.Routing;
using Helpline.Contracts;
using Helpline.Routing;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Microsoft.Extensions.Hosting;

/// <summary>Supervisors' view of the router: who waits, where, for how long, and what each advisor is doing.</summary>
internal static class RoutingEndpoints
{
    public static WebApplication MapRoutingView(this WebApplication app)
    {
        app.MapGroup("/api/routing")
            .WithTags("Routing")
            .RequireAuthorization(Roles.Supervisor)
            .MapGet("/queue", GetQueue)
            .WithName("GetRoutingQueue")
            .WithSummary("The queues and the advisors as of the router's latest transition");
        return app;
    }

    public static async Task<Ok<RoutingView>> GetQueue(ConsoleDbContext db, RouterStateReader reader, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(reader);
        var now = time.GetUtcNow();
        var names = await db.Advisors.AsNoTracking().ToDictionaryAsync(a => a.Id, a => a.UserName, cancellationToken);
        var view = await reader.ReadAsync(db, (state, asOf) => new RoutingView(
            asOf,
            Entries(state.QueueSnapshot(ContactChannel.Call, now)),
            Entries(state.QueueSnapshot(ContactChannel.Email, now)),
            state.ToSnapshot().Advisors
                .Select(a => new AdvisorView(
                    a.AdvisorId,
                    names.GetValueOrDefault(a.AdvisorId, "?"),
                    a.Status,
                    a.BreakReason,
                    a.ConsecutiveMissedOffers,
                    a.CurrentCall,
                    a.OpenEmails.Count))
                .ToList()), cancellationToken);
        return TypedResults.Ok(view);
    }

    private static List<QueueEntryView> Entries(IReadOnlyList<QueueEntry> entries) =>
        entries.Select(e => new QueueEntryView(e.ContactId, e.Priority, e.Position, e.EnteredAt, e.Waited, e.EstimatedWait, e.OfferedTo)).ToList();
}

/// <summary>The router as of <paramref name="AsOf"/>: calls and emails in queue order (position 0 = ringing), and every advisor.</summary>
public sealed record RoutingView(DateTimeOffset? AsOf, IReadOnlyList<QueueEntryView> Calls, IReadOnlyList<QueueEntryView> Emails, IReadOnlyList<AdvisorView> Advisors);

public sealed record QueueEntryView(Guid ContactId, int Priority, int Position, DateTimeOffset EnteredAt, TimeSpan Waited, TimeSpan? EstimatedWait, Guid? OfferedTo);

public sealed record AdvisorView(Guid AdvisorId, string UserName, AdvisorStatus Status, string? BreakReason, int MissedOffers, Guid? CurrentCall, int OpenEmails);
