using Helpline.Console.Staffing;

namespace Helpline.Console.Tests.Staffing;

public sealed class ErlangCTests
{
    private static readonly TimeSpan Twenty = TimeSpan.FromSeconds(20);

    /// <summary>
    /// An independent implementation's published test case: pyworkforce (rodrigo-arenas/pyworkforce),
    /// <c>pyworkforce/queuing/tests/test_erlang.py</c>, <c>test_expected_erlangc_results</c> and
    /// <c>test_over_occupancy_erlangc</c>: 100 calls in 30 minutes, 3 minutes handle time, 80% within
    /// 20 s, shrinkage 30%, maximum occupancy 85% (then 70%).
    /// </summary>
    [Theory]
    [InlineData(0.85, 14, 20, 0.888, 0.714, 0.174)]
    [InlineData(0.70, 15, 22, 0.941, 0.667, 0.102)]
    public void Required_advisors_match_pyworkforce(double maxOccupancy, int raw, int scheduled, double serviceLevel, double occupancy, double waitProbability)
    {
        var load = CallLoad.Measured(100, TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(3));

        var required = ErlangC.Required(load, 0.8, Twenty, new StaffingRules(maxOccupancy, 0.3));

        Assert.NotNull(required);
        Assert.Equal(raw, required.Advisors);
        Assert.Equal(scheduled, required.Scheduled);
        Assert.Equal(serviceLevel, required.Figures.ServiceLevel, 3);
        Assert.Equal(occupancy, required.Figures.Occupancy, 3);
        Assert.Equal(waitProbability, required.Figures.WaitProbability, 3);
    }

    /// <summary>
    /// Independent check by hand: one advisor is M/M/1, where Pw = ρ, SL(T) = 1 − ρ·e^(−(1−ρ)T/h) and the
    /// mean wait is ρ·h/(1 − ρ) (any queueing textbook, e.g. Kleinrock, Queueing Systems vol. 1, §3.2).
    /// </summary>
    [Fact]
    public void One_advisor_is_the_M_M_1_queue()
    {
        var load = new CallLoad(0.6 / 300, TimeSpan.FromSeconds(300));

        var result = ErlangC.Evaluate(1, load, Twenty);

        Assert.Equal(0.6, result.WaitProbability, 12);
        Assert.Equal(1 - (0.6 * Math.Exp(-0.4 * 20 / 300)), result.ServiceLevel, 12);
        Assert.Equal(0.6 * 300 / 0.4, result.AverageSpeedOfAnswerSeconds!.Value, 9);
    }

    /// <summary>Independent check: Pw from its definition with factorials (Aᴺ/N!·N/(N−A)) / (Σ_{k&lt;N} Aᵏ/k! + Aᴺ/N!·N/(N−A)), exact fractions.</summary>
    [Theory]
    [InlineData(2, 1.5)]
    [InlineData(12, 10)]
    [InlineData(30, 27.3)]
    public void Wait_probability_equals_the_definition_by_factorials(int advisors, double traffic)
    {
        var a = (decimal)traffic;
        var term = 1m;
        var below = 0m;
        for (var k = 0; k < advisors; k++)
        {
            below += term;
            term = term * a / (k + 1);
        }

        var top = term * advisors / (advisors - a);

        Assert.Equal((double)(top / (below + top)), ErlangC.WaitProbability(advisors, traffic), 12);
    }

    [Fact]
    public void An_overloaded_queue_never_clears()
    {
        var load = CallLoad.Measured(60, TimeSpan.FromHours(1), TimeSpan.FromMinutes(10));

        var result = ErlangC.Evaluate(10, load, Twenty);

        Assert.Equal(1, result.WaitProbability);
        Assert.Equal(0, result.ServiceLevel);
        Assert.Null(result.AverageSpeedOfAnswerSeconds);
        Assert.Equal(1, result.Occupancy);
    }

    [Fact]
    public void No_calls_need_no_advisors()
    {
        var required = ErlangC.Required(CallLoad.Measured(0, TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(5)), 0.8, Twenty, new StaffingRules(0.85, 0.3));

        Assert.NotNull(required);
        Assert.Equal(0, required.Advisors);
        Assert.Equal(0, required.Scheduled);
    }

    [Fact]
    public void Shrinkage_and_occupancy_are_checked()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ErlangC.Required(new CallLoad(0.01, TimeSpan.FromMinutes(5)), 0.8, Twenty, new StaffingRules(0, 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => ErlangC.Required(new CallLoad(0.01, TimeSpan.FromMinutes(5)), 0.8, Twenty, new StaffingRules(1, 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => ErlangC.Required(new CallLoad(0.01, TimeSpan.FromMinutes(5)), 1.5, Twenty, new StaffingRules()));
    }
}
