using Helpline.Console.Staffing;

namespace Helpline.Console.Reporting;

/// <summary>
/// Staffing set beside what happened, per interval of an interval report (15, 30 or 60 minutes). Every
/// figure here is an estimate from a queueing model (see <see cref="StaffingEstimates"/>), not a count.
/// Arrival rate and advisors staffed are the interval's own; the handle time and the callers' patience
/// are measured over the whole range (an interval has too few calls to measure either well).
/// </summary>
/// <param name="Assumptions">The targets and the measured handle time and patience the models used.</param>
/// <param name="Intervals">Each interval's estimates; intervals with no calls offered need nobody and are left out.</param>
/// <param name="MoreAnswered">Over the range: with N more advisors in every interval that had calls, about this many more answered.</param>
internal sealed record StaffingReport(
    DateOnly From,
    DateOnly To,
    ReportGrouping Interval,
    StaffingAssumptions Assumptions,
    IReadOnlyList<StaffingRow> Intervals,
    IReadOnlyList<MoreAdvisorsEstimate> MoreAnswered);

/// <param name="HandleTimeSeconds">AHT (talk + wrap-up) over the range; null when no call was handled, and then nothing is estimated.</param>
/// <param name="PatienceSeconds">Mean patience over the range (total wait / abandons); null with no abandons, and then Erlang A is not applied.</param>
internal sealed record StaffingAssumptions(
    double ServiceLevelTarget,
    int ThresholdSeconds,
    double MaxAbandonRate,
    double MaxOccupancy,
    double Shrinkage,
    double? HandleTimeSeconds,
    double? PatienceSeconds);

/// <param name="ErlangCAdvisors">Advisors on the phones for the service-level target (Erlang C); <paramref name="ErlangCScheduled"/> after shrinkage.</param>
/// <param name="ErlangAAdvisors">Advisors on the phones for the abandonment target (Erlang A); <paramref name="ErlangAScheduled"/> after shrinkage.</param>
/// <param name="ModelAbandonRate">The abandonment rate Erlang A gives with the advisors actually staffed.</param>
internal sealed record StaffingRow(
    DateTimeOffset Start,
    DateTimeOffset End,
    string Label,
    long Offered,
    long Answered,
    double StaffedAdvisors,
    int? ErlangCAdvisors,
    int? ErlangCScheduled,
    int? ErlangAAdvisors,
    int? ErlangAScheduled,
    double? ModelAbandonRate,
    IReadOnlyList<MoreAdvisorsEstimate> MoreAdvisors);

internal static class StaffingReports
{
    public static bool Supports(ReportGrouping interval) => interval is ReportGrouping.Minutes15 or ReportGrouping.Minutes30 or ReportGrouping.Minutes60;

    public static StaffingReport Build(IntervalReport report, StaffingSettings settings)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(settings);
        var totals = report.Totals;
        var handle = totals.Service.AhtSeconds is { } aht && aht > 0 ? TimeSpan.FromSeconds(aht) : (TimeSpan?)null;
        var patience = StaffingEstimates.EstimatePatience(
            totals.Calls.Unanswered.Abandoned + totals.Calls.Unanswered.ShortAbandon,
            TimeSpan.FromSeconds(totals.Service.TotalWaitSeconds));
        var targets = new StaffingTargets(
            settings.ServiceLevelTarget,
            TimeSpan.FromSeconds(report.Definitions.ServiceLevelThresholdSeconds),
            settings.MaxAbandonRate,
            settings.Rules,
            settings.ExtraSteps);

        var rows = new List<StaffingRow>();
        foreach (var row in report.Intervals.Where(r => r.Calls.Offered > 0))
        {
            var estimate = StaffingEstimates.Estimate(
                new MeasuredDemand(row.End - row.Start, row.Calls.Offered, row.Calls.Answered, row.Capacity.AdvisorsStaffedAverage ?? 0),
                handle,
                patience,
                targets);
            rows.Add(new StaffingRow(
                row.Start,
                row.End,
                row.Label,
                row.Calls.Offered,
                row.Calls.Answered,
                estimate.StaffedAdvisors,
                estimate.ErlangC?.Advisors,
                estimate.ErlangC?.Scheduled,
                estimate.ErlangA?.Advisors,
                estimate.ErlangA?.Scheduled,
                estimate.ModelAbandonRate,
                estimate.MoreAdvisors));
        }

        var more = settings.ExtraSteps
            .Select(step => new MoreAdvisorsEstimate(step, rows.Sum(r => r.MoreAdvisors.FirstOrDefault(m => m.ExtraAdvisors == step)?.MoreAnswered ?? 0)))
            .ToList();
        return new StaffingReport(
            report.From,
            report.To,
            report.Interval,
            new StaffingAssumptions(settings.ServiceLevelTarget, report.Definitions.ServiceLevelThresholdSeconds, settings.MaxAbandonRate, settings.MaxOccupancy, settings.Shrinkage, handle?.TotalSeconds, patience?.TotalSeconds),
            rows,
            patience is null ? [] : more);
    }
}
