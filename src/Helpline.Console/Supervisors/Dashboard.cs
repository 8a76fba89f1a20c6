using Helpline.Console.Data;
using Helpline.Console.Reporting;
using Helpline.Console.RouterHosting;
using Helpline.Contracts;
using Helpline.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helpline.Console.Supervisors;

/// <summary>
/// What the supervisors' live dashboard shows (contract: docs/api.md): the router's queues and advisors
/// as of its latest transition, each advisor's time in their status, today's figures so far (the
/// interval report's definitions, from local midnight), the email backlog and today's urgent flags.
/// Contact ids and advisors' user names only: no caller data. Public, with its parts, because it is a
/// payload of <see cref="ISupervisorClient"/> (SignalR implements that interface in an assembly of its own).
/// </summary>
/// <param name="AsOf">When it was put together (the server's clock: clients time waits from it).</param>
/// <param name="RouterAsOf">The router's latest transition; null before the first.</param>
/// <param name="Calls">Calls waiting or ringing, in queue order (position 0 = ringing, with the advisor it rings at).</param>
/// <param name="OldestCallEnteredAt">When the longest waiting call entered the queue; null when none waits.</param>
/// <param name="EmailBacklog">Email conversations waiting for an advisor or open with one.</param>
public sealed record Dashboard(
    DateTimeOffset AsOf,
    DateTimeOffset? RouterAsOf,
    IReadOnlyList<DashboardCall> Calls,
    DateTimeOffset? OldestCallEnteredAt,
    IReadOnlyList<DashboardAdvisor> Advisors,
    TodayFigures Today,
    int EmailBacklog,
    IReadOnlyList<UrgentFlag> Urgent);

public sealed record DashboardCall(Guid ContactId, int Position, int Priority, DateTimeOffset EnteredAt, Guid? RingingAt, string? RingingAtUserName);

/// <param name="Since">When the advisor entered <paramref name="Status"/> (their latest status change); null when never signed in.</param>
/// <param name="PendingStatus">A Break or Offline asked for during a call, applied when its wrap-up ends.</param>
public sealed record DashboardAdvisor(
    Guid AdvisorId,
    string UserName,
    AdvisorStatus Status,
    string? Reason,
    DateTimeOffset? Since,
    AdvisorStatus? PendingStatus,
    int MissedOffers,
    bool OnCall,
    int OpenEmails);

/// <summary>Today (local midnight to now) as the interval report counts it.</summary>
public sealed record TodayFigures(
    DateOnly Date,
    long Received,
    long Offered,
    long Answered,
    UnansweredFigures Unanswered,
    long StillOpen,
    double? AnswerRate,
    double? ServiceLevel,
    int ServiceLevelThresholdSeconds,
    double? LongestWaitSeconds,
    long CallersNeverAnswered);

public sealed record UrgentFlag(Guid ContactId, DateTimeOffset RaisedAt);

/// <summary>Puts the dashboard together from the router's state (<see cref="RouterStateReader"/>) and the database.</summary>
internal sealed class DashboardReader(ConsoleDbContext db, RouterStateReader reader, ReportQueries reports, IOptions<ReportingOptions> options, TimeProvider time)
{
    public async Task<Dashboard> ReadAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var (calls, advisors, summary, asOf) = await reader.ReadAsync(
            db,
            (state, asOf) => (state.QueueSnapshot(ContactChannel.Call, now), state.ToSnapshot().Advisors, state.Summarize(), asOf),
            cancellationToken);
        var names = await db.Advisors.AsNoTracking().ToDictionaryAsync(a => a.Id, a => a.UserName, cancellationToken);
        var since = await (
            from a in db.Advisors
            from e in db.AdvisorEvents.Where(e => e.AdvisorId == a.Id).OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Take(1)
            select new { a.Id, e.At }).ToDictionaryAsync(x => x.Id, x => x.At, cancellationToken);

        var settings = options.Value;
        var zone = settings.Zone();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        var report = await reports.RunAsync(new ReportRequest(today, today, ReportGrouping.Day, settings.ServiceLevelThresholdSeconds, settings.ShortAbandonsInServiceLevel2), settings, cancellationToken);
        var figures = report.Totals;
        var midnight = report.Totals.Start;
        var urgent = await db.ContactRecords.AsNoTracking()
            .Where(r => r.Urgent && r.UrgentRaisedAt >= midnight)
            .OrderByDescending(r => r.UrgentRaisedAt)
            .Select(r => new UrgentFlag(r.ContactId, r.UrgentRaisedAt!.Value))
            .ToListAsync(cancellationToken);

        return new Dashboard(
            now,
            asOf,
            calls.Select(c => new DashboardCall(c.ContactId, c.Position, c.Priority, c.EnteredAt, c.OfferedTo, c.OfferedTo is { } id ? names.GetValueOrDefault(id) : null)).ToList(),
            summary.Channels[ContactChannel.Call].OldestEnteredAt,
            advisors.Select(a => new DashboardAdvisor(
                a.AdvisorId,
                names.GetValueOrDefault(a.AdvisorId, "?"),
                a.Status,
                a.BreakReason,
                since.TryGetValue(a.AdvisorId, out var at) ? at : null,
                a.PendingStatus,
                a.ConsecutiveMissedOffers,
                a.CurrentCall is not null,
                a.OpenEmails.Count)).OrderBy(a => a.UserName, StringComparer.Ordinal).ToList(),
            new TodayFigures(
                today,
                figures.Calls.Received,
                figures.Calls.Offered,
                figures.Calls.Answered,
                figures.Calls.Unanswered,
                figures.Calls.StillOpen,
                figures.Calls.AnswerRate,
                figures.Service.ServiceLevel,
                report.Definitions.ServiceLevelThresholdSeconds,
                figures.Service.LongestWaitSeconds,
                figures.Callers.DistinctNeverAnswered),
            summary.Channels[ContactChannel.Email].Queued + summary.Channels[ContactChannel.Email].Assigned,
            urgent);
    }
}
