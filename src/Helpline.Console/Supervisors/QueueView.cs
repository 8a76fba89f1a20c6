using Helpline.Console.Data;
using Helpline.Console.RouterHosting;
using Helpline.Contracts;
using Helpline.Routing;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Helpline.Console.Supervisors;

/// <summary>Supervisors' view of the router: who waits, where, for how long, and what each advisor is doing.</summary>
internal static class QueueViewEndpoints
{
    public static async Task<Ok<QueueView>> GetQueue(ConsoleDbContext db, RouterStateReader reader, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var names = await db.Advisors.AsNoTracking().ToDictionaryAsync(a => a.Id, a => a.UserName, cancellationToken);
        var view = await reader.ReadAsync(db, (state, asOf) => new QueueView(
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
internal sealed record QueueView(DateTimeOffset? AsOf, IReadOnlyList<QueueEntryView> Calls, IReadOnlyList<QueueEntryView> Emails, IReadOnlyList<AdvisorView> Advisors);

internal sealed record QueueEntryView(Guid ContactId, int Priority, int Position, DateTimeOffset EnteredAt, TimeSpan Waited, TimeSpan? EstimatedWait, Guid? OfferedTo);

internal sealed record AdvisorView(Guid AdvisorId, string UserName, AdvisorStatus Status, string? BreakReason, int MissedOffers, Guid? CurrentCall, int OpenEmails);
