using Helpline.Console.Reporting;

namespace Helpline.Console.Tests.Reporting;

public sealed class ReportIntervalsTests
{
    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    // UK clocks go forward at 01:00 GMT on Sunday 29 March 2026 and back at 02:00 BST on Sunday 25 October 2026.
    private static readonly DateOnly SpringForward = new(2026, 3, 29);
    private static readonly DateOnly FallBack = new(2026, 10, 25);

    [Fact]
    public void The_day_the_clocks_go_forward_has_23_hours_and_no_intervals_in_the_missing_hour()
    {
        var halfHours = ReportIntervals.Build(SpringForward, SpringForward, ReportGrouping.Minutes30, London);
        var day = Assert.Single(ReportIntervals.Build(SpringForward, SpringForward, ReportGrouping.Day, London));

        Assert.Equal(46, halfHours.Count);
        Assert.DoesNotContain(halfHours, i => i.LocalStart.Hour == 1);
        Assert.All(halfHours, i => Assert.Equal(TimeSpan.FromMinutes(30), i.Length));
        var beforeChange = halfHours.Single(i => i.LocalStart == new DateTime(2026, 3, 29, 0, 30, 0));
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero), beforeChange.End);
        Assert.Equal(beforeChange.End, halfHours.Single(i => i.LocalStart.Hour == 2 && i.LocalStart.Minute == 0).Start);
        Assert.Equal(TimeSpan.FromHours(23), day.Length);
        Assert.True(day.SpansClockChange);
        Assert.Equal("Sun 29 Mar 2026 (23 hours, clocks changed)", day.Label);
    }

    [Fact]
    public void The_hour_the_clocks_go_back_lasts_two_hours_and_says_so()
    {
        var hours = ReportIntervals.Build(FallBack, FallBack, ReportGrouping.Minutes60, London);
        var halfHours = ReportIntervals.Build(FallBack, FallBack, ReportGrouping.Minutes30, London);

        Assert.Equal(24, hours.Count);
        var repeated = hours.Single(i => i.LocalStart.Hour == 1);
        Assert.Equal(TimeSpan.FromHours(2), repeated.Length);
        Assert.True(repeated.SpansClockChange);
        Assert.Equal("Sun 25 Oct 2026 01:00–02:00 (2 hours, clocks changed)", repeated.Label);
        Assert.Single(hours, i => i.SpansClockChange);
        Assert.Equal(48, halfHours.Count);
        Assert.Equal(TimeSpan.FromMinutes(30), halfHours.Single(i => i.LocalStart == new DateTime(2026, 10, 25, 1, 0, 0)).Length);
        Assert.Equal(TimeSpan.FromMinutes(90), halfHours.Single(i => i.LocalStart == new DateTime(2026, 10, 25, 1, 30, 0)).Length);
        Assert.Equal(TimeSpan.FromHours(25), ReportIntervals.Build(FallBack, FallBack, ReportGrouping.Day, London).Single().Length);
    }

    [Theory]
    [InlineData("Minutes15")]
    [InlineData("Minutes30")]
    [InlineData("Minutes60")]
    [InlineData("Day")]
    [InlineData("Week")]
    [InlineData("Month")]
    public void Intervals_cover_the_range_without_gaps_or_overlaps(string grouping)
    {
        var from = new DateOnly(2026, 3, 11);
        var to = new DateOnly(2026, 11, 3);

        var intervals = ReportIntervals.Build(from, to, Enum.Parse<ReportGrouping>(grouping), London);

        Assert.Equal(new DateTimeOffset(2026, 3, 11, 0, 0, 0, TimeSpan.Zero), intervals[0].Start);
        Assert.Equal(new DateTimeOffset(2026, 11, 4, 0, 0, 0, TimeSpan.Zero), intervals[^1].End);
        for (var i = 1; i < intervals.Count; i++)
        {
            Assert.Equal(intervals[i - 1].End, intervals[i].Start);
        }
    }

    [Fact]
    public void Weeks_start_on_Monday_and_months_on_the_first_clipped_to_the_range()
    {
        var weeks = ReportIntervals.Build(new DateOnly(2026, 3, 11), new DateOnly(2026, 3, 31), ReportGrouping.Week, London);
        var months = ReportIntervals.Build(new DateOnly(2026, 2, 15), new DateOnly(2026, 4, 30), ReportGrouping.Month, London);

        Assert.Equal([new DateTime(2026, 3, 11), new DateTime(2026, 3, 16), new DateTime(2026, 3, 23), new DateTime(2026, 3, 30)], weeks.Select(w => w.LocalStart));
        Assert.Equal("Week from Wed 11 Mar 2026 to Sun 15 Mar", weeks[0].Label);
        Assert.True(weeks[2].SpansClockChange);
        Assert.Equal(TimeSpan.FromHours(167), weeks[2].Length);
        Assert.Equal(["15 Feb–28 Feb 2026", "March 2026 (30 days 23 hours, clocks changed)", "April 2026"], months.Select(m => m.Label));
    }

    [Fact]
    public void Local_times_map_to_instants_across_both_changes()
    {
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero), ReportIntervals.ToInstant(new DateTime(2026, 3, 29, 1, 30, 0), London));
        Assert.Equal(new DateTimeOffset(2026, 10, 25, 0, 30, 0, TimeSpan.Zero), ReportIntervals.ToInstant(new DateTime(2026, 10, 25, 1, 30, 0), London));
        Assert.Equal(new DateTimeOffset(2026, 7, 1, 8, 0, 0, TimeSpan.Zero), ReportIntervals.ToInstant(new DateTime(2026, 7, 1, 9, 0, 0), London));
    }
}
