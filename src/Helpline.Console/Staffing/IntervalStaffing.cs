namespace Helpline.Console.Staffing;

/// <summary>What the reports measured in one interval, as far as staffing needs it.</summary>
/// <param name="Length">The interval's real length (an interval across a clock change is 30 minutes longer or shorter).</param>
/// <param name="Offered">Calls offered: in hours and queued, plus those turned away because nobody was signed in.</param>
/// <param name="Answered">Calls answered.</param>
/// <param name="StaffedAdvisors">Advisors signed in and not on break, on average over the interval (staffed time / length).</param>
internal sealed record MeasuredDemand(TimeSpan Length, long Offered, long Answered, double StaffedAdvisors);

/// <summary>The targets staffing is estimated for, with the documented defaults of <c>Reporting:Staffing</c>.</summary>
/// <param name="ServiceLevel">Erlang C target: this share of answered calls answered within <paramref name="Threshold"/>.</param>
/// <param name="MaxAbandonRate">Erlang A target: at most this share of offered calls abandoned.</param>
/// <param name="ExtraAdvisors">The "with N more advisors" steps to estimate (for example 1, 2, 3).</param>
internal sealed record StaffingTargets(double ServiceLevel, TimeSpan Threshold, double MaxAbandonRate, StaffingRules Rules, IReadOnlyList<int> ExtraAdvisors);

/// <summary>
/// Staffing set beside what happened in an interval. Every figure is a model's estimate (Erlang C or A,
/// which assume random arrivals and exponential handle times and patience), not a count.
/// </summary>
/// <param name="ErlangC">Advisors on the phones (and to schedule) for the service-level target; null without a known handle time or beyond reach.</param>
/// <param name="ErlangA">Advisors on the phones (and to schedule) for the abandonment target; null without a known handle time and patience.</param>
/// <param name="ModelAbandonRate">The abandonment rate Erlang A predicts with the advisors actually staffed.</param>
/// <param name="MoreAdvisors">"With N more advisors, about M more calls would have been answered", for each step asked for.</param>
internal sealed record IntervalStaffing(
    double StaffedAdvisors,
    StaffingRequirement<ErlangCResult>? ErlangC,
    StaffingRequirement<ErlangAResult>? ErlangA,
    double? ModelAbandonRate,
    IReadOnlyList<MoreAdvisorsEstimate> MoreAdvisors);

/// <param name="MoreAnswered">About this many more calls answered (not rounded; never more than were unanswered).</param>
internal sealed record MoreAdvisorsEstimate(int ExtraAdvisors, double MoreAnswered);

internal static class StaffingEstimates
{
    /// <summary>
    /// Mean patience, the exponential model's maximum-likelihood estimate from what was measured: total
    /// time that offered callers waited (answered, abandoned or cut off alike) divided by the callers who
    /// abandoned. Averaging only the abandoners' waits would understate it: the patient callers were
    /// answered before their patience ran out (Brown et al., "Statistical analysis of a telephone call
    /// center", JASA 100(469), 2005, §6; in Erlang A, P(abandon) = θ·E[wait]). Null with no abandons.
    /// </summary>
    public static TimeSpan? EstimatePatience(long abandoned, TimeSpan totalWait) =>
        abandoned > 0 && totalWait > TimeSpan.Zero ? totalWait / abandoned : null;

    /// <summary>
    /// The interval's staffing estimates. Advisors staffed on average (a fraction) are modelled by
    /// interpolating Erlang A between the whole numbers either side. The "more answered" figure is
    /// offered × (answered share with N more − answered share as staffed), capped at the calls that were
    /// in fact unanswered.
    /// </summary>
    public static IntervalStaffing Estimate(MeasuredDemand demand, TimeSpan? handleTime, TimeSpan? patience, StaffingTargets targets)
    {
        ArgumentNullException.ThrowIfNull(demand);
        ArgumentNullException.ThrowIfNull(targets);
        if (handleTime is not { } handle || handle <= TimeSpan.Zero)
        {
            return new IntervalStaffing(demand.StaffedAdvisors, null, null, null, []);
        }

        var load = CallLoad.Measured(demand.Offered, demand.Length, handle);
        var erlangC = ErlangC.Required(load, targets.ServiceLevel, targets.Threshold, targets.Rules);
        if (patience is not { } mean || mean <= TimeSpan.Zero)
        {
            return new IntervalStaffing(demand.StaffedAdvisors, erlangC, null, null, []);
        }

        double answeredShare(double advisors)
        {
            var below = (int)Math.Floor(advisors);
            var low = 1 - ErlangA.AbandonProbability(below, load, mean);
            var part = advisors - below;
            if (part == 0)
            {
                return low;
            }

            var high = 1 - ErlangA.AbandonProbability(below + 1, load, mean);
            return low + (part * (high - low));
        }

        var staffed = Math.Max(0, demand.StaffedAdvisors);
        var asStaffed = answeredShare(staffed);
        var unanswered = Math.Max(0, demand.Offered - demand.Answered);
        var more = targets.ExtraAdvisors
            .Select(extra => new MoreAdvisorsEstimate(extra, Math.Clamp(demand.Offered * (answeredShare(staffed + extra) - asStaffed), 0, unanswered)))
            .ToList();
        return new IntervalStaffing(
            demand.StaffedAdvisors,
            erlangC,
            ErlangA.Required(load, mean, targets.MaxAbandonRate, targets.Threshold, targets.Rules),
            demand.Offered == 0 ? 0 : 1 - asStaffed,
            more);
    }
}
