using Helpline.Console.Staffing;

namespace Helpline.Console.Tests.Staffing;

public sealed class ErlangBTests
{
    /// <summary>
    /// The published Erlang B table (traffic in erlangs that N lines carry at a given grade of service, to two
    /// decimals), as printed in Iversen, "Teletraffic Engineering and Network Planning" (Technical University
    /// of Denmark / ITU-D handbook), table of the Erlang B formula; the same figures appear in every Erlang B
    /// table. A rounded table value means the blocking crosses the grade of service within ±0.005 erlang.
    /// </summary>
    [Theory]
    [InlineData(1, 0.01, 0.01)]
    [InlineData(2, 0.01, 0.15)]
    [InlineData(5, 0.01, 1.36)]
    [InlineData(10, 0.01, 4.46)]
    [InlineData(20, 0.01, 12.03)]
    [InlineData(50, 0.01, 37.90)]
    [InlineData(100, 0.01, 84.06)]
    [InlineData(10, 0.001, 3.09)]
    [InlineData(20, 0.001, 9.41)]
    [InlineData(10, 0.05, 6.22)]
    [InlineData(30, 0.05, 24.80)]
    public void Blocking_matches_the_published_Erlang_B_table(int lines, double gradeOfService, double tabledTraffic)
    {
        Assert.True(ErlangB.Blocking(lines, tabledTraffic - 0.005) <= gradeOfService);
        Assert.True(ErlangB.Blocking(lines, tabledTraffic + 0.005) >= gradeOfService);
    }

    /// <summary>Independent check: the textbook definition B = (Aᴺ/N!) / Σₖ (Aᵏ/k!), summed with exact fractions.</summary>
    [Theory]
    [InlineData(3, 2)]
    [InlineData(10, 10)]
    [InlineData(25, 17.5)]
    public void Blocking_equals_the_definition_by_factorials(int lines, double traffic)
    {
        var a = (decimal)traffic;
        var term = 1m;
        var sum = 1m;
        for (var k = 1; k <= lines; k++)
        {
            term = term * a / k;
            sum += term;
        }

        Assert.Equal((double)(term / sum), ErlangB.Blocking(lines, traffic), 12);
    }

    [Fact]
    public void Blocking_stays_finite_where_factorials_would_overflow()
    {
        var b = ErlangB.Blocking(2000, 1900);

        Assert.InRange(b, 0.0, 1.0);
        Assert.True(double.IsFinite(b));
        Assert.Equal(1.0, ErlangB.Blocking(0, 5));
        Assert.Equal(0.0, ErlangB.Blocking(3, 0));
    }
}
