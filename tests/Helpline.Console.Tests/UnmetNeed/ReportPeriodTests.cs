using Helpline.Console.UnmetNeed;

namespace Helpline.Console.Tests.UnmetNeed;

public sealed class ReportPeriodTests
{
    [Theory]
    [InlineData("2026-11", "2026-11-01", "2026-11-30", "November 2026")]
    [InlineData("2026-02", "2026-02-01", "2026-02-28", "February 2026")]
    [InlineData("2026-Q2", "2026-04-01", "2026-06-30", "Apr–Jun 2026 (FY2026-27 Q1)")]
    [InlineData("2027-Q1", "2027-01-01", "2027-03-31", "Jan–Mar 2027 (FY2026-27 Q4)")]
    [InlineData("FY2026-27", "2026-04-01", "2027-03-31", "Financial year FY2026-27 (April 2026 to March 2027)")]
    [InlineData("FY1999-00", null, null, null)]
    [InlineData("FY2026-28", null, null, null)]
    [InlineData("2026-13", null, null, null)]
    [InlineData("2026-Q5", null, null, null)]
    [InlineData("last month", null, null, null)]
    public void Periods_are_months_quarters_and_financial_years_April_to_March(string id, string? start, string? end, string? label)
    {
        var period = ReportPeriod.Parse(id);

        Assert.Equal(start, period?.Start.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(end, period?.End.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(label, period?.Label);
    }

    [Fact]
    public void A_period_runs_from_midnight_in_London_so_summer_months_start_an_hour_earlier_in_UTC()
    {
        var (from, to) = ReportPeriod.Parse("2026-07")!.Instants;
        Assert.Equal(new DateTimeOffset(2026, 6, 30, 23, 0, 0, TimeSpan.Zero), from);
        Assert.Equal(new DateTimeOffset(2026, 7, 31, 23, 0, 0, TimeSpan.Zero), to);

        var (winterFrom, _) = ReportPeriod.Parse("2026-12")!.Instants;
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), winterFrom);
    }
}
