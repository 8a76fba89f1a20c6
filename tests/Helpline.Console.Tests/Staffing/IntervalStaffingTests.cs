using Helpline.Console.Staffing;

namespace Helpline.Console.Tests.Staffing;

public sealed class IntervalStaffingTests
{
    private static readonly TimeSpan HalfHour = TimeSpan.FromMinutes(30);
    private static readonly StaffingTargets Targets = new(0.8, TimeSpan.FromSeconds(20), 0.05, new StaffingRules(0.85, 0.3), [1, 2]);

    [Fact]
    public void Patience_is_the_total_wait_over_the_callers_who_abandoned()
    {
        Assert.Equal(TimeSpan.FromSeconds(200), StaffingEstimates.EstimatePatience(3, TimeSpan.FromSeconds(600)));
        Assert.Null(StaffingEstimates.EstimatePatience(0, TimeSpan.FromSeconds(600)));
    }

    [Fact]
    public void More_answered_is_offered_times_the_change_in_answered_share()
    {
        var load = CallLoad.Measured(12, HalfHour, TimeSpan.FromMinutes(10));
        var patience = TimeSpan.FromMinutes(2);
        var shareAt = (int n) => 1 - ErlangA.Evaluate(n, load, patience, Targets.Threshold).AbandonProbability;

        var estimate = StaffingEstimates.Estimate(new MeasuredDemand(HalfHour, 12, 3, 2), TimeSpan.FromMinutes(10), patience, Targets);

        Assert.Equal([1, 2], estimate.MoreAdvisors.Select(m => m.ExtraAdvisors));
        Assert.Equal(12 * (shareAt(3) - shareAt(2)), estimate.MoreAdvisors[0].MoreAnswered, 9);
        Assert.Equal(12 * (shareAt(4) - shareAt(2)), estimate.MoreAdvisors[1].MoreAnswered, 9);
        Assert.Equal(1 - shareAt(2), estimate.ModelAbandonRate!.Value, 9);
        Assert.True(estimate.ErlangA!.Advisors > 2);
        Assert.True(estimate.ErlangC!.Advisors >= estimate.ErlangA.Advisors);
    }

    [Fact]
    public void Part_staffed_intervals_interpolate_between_whole_advisors()
    {
        var load = CallLoad.Measured(12, HalfHour, TimeSpan.FromMinutes(10));
        var patience = TimeSpan.FromMinutes(2);
        var shareAt = (int n) => 1 - ErlangA.Evaluate(n, load, patience, Targets.Threshold).AbandonProbability;

        var estimate = StaffingEstimates.Estimate(new MeasuredDemand(HalfHour, 12, 3, 1.25), TimeSpan.FromMinutes(10), patience, Targets);

        var asStaffed = shareAt(1) + (0.25 * (shareAt(2) - shareAt(1)));
        var withOne = shareAt(2) + (0.25 * (shareAt(3) - shareAt(2)));
        Assert.Equal(12 * (withOne - asStaffed), estimate.MoreAdvisors[0].MoreAnswered, 9);
    }

    [Fact]
    public void Never_more_answered_than_went_unanswered()
    {
        // Nobody staffed: every one of the 20 calls went unanswered, but the model could see 4 more advisors answer nearly all.
        var estimate = StaffingEstimates.Estimate(new MeasuredDemand(HalfHour, 20, 18, 0), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5), Targets);

        Assert.All(estimate.MoreAdvisors, m => Assert.InRange(m.MoreAnswered, 0, 2));
        Assert.Equal(1, estimate.ModelAbandonRate);
    }

    [Fact]
    public void Without_a_handle_time_or_a_patience_the_models_are_not_applied()
    {
        var noHandle = StaffingEstimates.Estimate(new MeasuredDemand(HalfHour, 5, 0, 0), null, TimeSpan.FromMinutes(2), Targets);
        var noPatience = StaffingEstimates.Estimate(new MeasuredDemand(HalfHour, 5, 5, 2), TimeSpan.FromMinutes(5), null, Targets);

        Assert.Null(noHandle.ErlangC);
        Assert.Null(noHandle.ErlangA);
        Assert.Empty(noHandle.MoreAdvisors);
        Assert.NotNull(noPatience.ErlangC);
        Assert.Null(noPatience.ErlangA);
    }
}
