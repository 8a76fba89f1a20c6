using Helpline.Intake.Hours;

namespace Helpline.Intake.Tests.Hours;

/// <summary>The pure calculator with the default hours, England and Wales bank holidays and Europe/London.</summary>
public sealed class OpeningHoursTests
{
    private static readonly OpeningHoursOptions Defaults = new();

    private static OpeningHours Hours(params ClosedPeriod[] closures) =>
        new(Defaults.ToWeeklyHours(), Defaults.ToTimeZone(), OpeningHoursService.IsBankHoliday, closures);

    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("2026-01-16T09:29:59Z", false)] // Friday, GMT: local time is UTC
    [InlineData("2026-01-16T09:30:00Z", true)]
    [InlineData("2026-01-16T15:59:59Z", true)]
    [InlineData("2026-01-16T16:00:00Z", false)]
    [InlineData("2026-06-12T08:29:59Z", false)] // Friday, BST: 09:29:59 local
    [InlineData("2026-06-12T08:30:00Z", true)] // 09:30 local
    [InlineData("2026-06-12T14:59:59Z", true)] // 15:59:59 local
    [InlineData("2026-06-12T15:00:00Z", false)] // 16:00 local
    [InlineData("2026-06-12T15:30:00Z", false)] // 16:30 local although 15:30 UTC
    public void Opens_at_half_past_nine_and_closes_at_four_local_time(string instant, bool open) =>
        Assert.Equal(open, Hours().IsOpen(Utc(instant)));

    [Theory]
    [InlineData("2026-06-10T08:30:00Z", false)] // Wednesday 09:30 BST: mornings are closed
    [InlineData("2026-06-10T11:59:59Z", false)] // 12:59:59 BST
    [InlineData("2026-06-10T12:00:00Z", true)] // 13:00 BST
    [InlineData("2026-06-10T14:59:59Z", true)]
    [InlineData("2026-06-10T15:00:00Z", false)]
    [InlineData("2026-06-13T10:00:00Z", false)] // Saturday
    [InlineData("2026-06-14T10:00:00Z", false)] // Sunday
    public void Wednesday_opens_at_one_and_weekends_are_closed(string instant, bool open) =>
        Assert.Equal(open, Hours().IsOpen(Utc(instant)));

    [Theory]
    [InlineData("2026-03-27T09:30:00Z", true)] // Friday before the change: GMT
    [InlineData("2026-03-30T08:29:59Z", false)] // Monday after: BST, 09:29:59 local
    [InlineData("2026-03-30T08:30:00Z", true)]
    [InlineData("2026-03-30T09:15:00Z", true)]
    [InlineData("2026-03-30T14:59:59Z", true)]
    [InlineData("2026-03-30T15:00:00Z", false)]
    [InlineData("2026-10-23T08:30:00Z", true)] // Friday before the change back: BST
    [InlineData("2026-10-23T15:00:00Z", false)]
    [InlineData("2026-10-26T08:30:00Z", false)] // Monday after: GMT, 08:30 local
    [InlineData("2026-10-26T09:29:59Z", false)]
    [InlineData("2026-10-26T09:30:00Z", true)]
    [InlineData("2026-10-26T15:30:00Z", true)] // 15:30 GMT
    [InlineData("2026-10-26T16:00:00Z", false)]
    public void Clock_changes_in_March_and_October_move_the_hours_with_local_time(string instant, bool open) =>
        Assert.Equal(open, Hours().IsOpen(Utc(instant)));

    [Theory]
    [InlineData("2026-04-03T10:00:00Z")] // Good Friday
    [InlineData("2026-04-06T10:00:00Z")] // Easter Monday
    [InlineData("2026-05-04T10:00:00Z")] // Early May
    [InlineData("2026-05-25T10:00:00Z")] // Spring
    [InlineData("2026-08-31T10:00:00Z")] // Summer (England and Wales, not Scotland's)
    [InlineData("2026-12-25T11:00:00Z")] // Christmas Day, a Friday
    [InlineData("2026-12-28T11:00:00Z")] // Boxing Day substitute: 26th is a Saturday
    [InlineData("2027-01-01T11:00:00Z")] // New Year's Day
    public void Closed_on_England_and_Wales_bank_holidays(string instant) =>
        Assert.False(Hours().IsOpen(Utc(instant)));

    [Fact]
    public void Scottish_only_holidays_are_working_days()
    {
        Assert.True(Hours().IsOpen(Utc("2026-08-03T10:00:00Z"))); // first Monday in August: Scotland only
        Assert.True(Hours().IsOpen(Utc("2026-11-30T11:00:00Z"))); // St Andrew's Day
    }

    [Fact]
    public void Special_closure_closes_its_period_only()
    {
        var training = new ClosedPeriod(Utc("2026-06-11T12:00:00Z"), Utc("2026-06-11T15:00:00Z")); // Thursday 13:00-16:00 BST
        var hours = Hours(training);

        Assert.True(hours.IsOpen(Utc("2026-06-11T11:59:59Z")));
        Assert.False(hours.IsOpen(Utc("2026-06-11T12:00:00Z")));
        Assert.False(hours.IsOpen(Utc("2026-06-11T14:59:59Z")));
        Assert.Equal(Utc("2026-06-12T08:30:00Z"), hours.NextOpening(Utc("2026-06-11T12:30:00Z")));
    }

    [Theory]
    [InlineData("2026-06-12T15:00:00Z", "2026-06-15T08:30:00Z")] // Friday 16:00 BST → Monday 09:30 BST
    [InlineData("2026-06-10T07:00:00Z", "2026-06-10T12:00:00Z")] // Wednesday morning → 13:00 the same day
    [InlineData("2026-06-10T13:00:00Z", "2026-06-10T13:00:00Z")] // open now: now
    [InlineData("2026-04-02T15:00:00Z", "2026-04-07T08:30:00Z")] // Thursday before Easter → Tuesday after Easter Monday
    [InlineData("2026-03-27T16:00:00Z", "2026-03-30T08:30:00Z")] // across the March change: GMT Friday → BST Monday
    [InlineData("2026-10-23T15:00:00Z", "2026-10-26T09:30:00Z")] // across the October change: BST Friday → GMT Monday
    [InlineData("2026-12-24T16:00:00Z", "2026-12-29T09:30:00Z")] // Christmas and the Boxing Day substitute
    public void Next_opening_skips_nights_weekends_and_holidays(string instant, string expected) =>
        Assert.Equal(Utc(expected), Hours().NextOpening(Utc(instant)));

    [Fact]
    public void Next_opening_moves_past_a_closure_that_starts_at_the_opening()
    {
        var morning = new ClosedPeriod(Utc("2026-06-15T08:30:00Z"), Utc("2026-06-15T10:00:00Z"));

        Assert.Equal(Utc("2026-06-15T10:00:00Z"), Hours(morning).NextOpening(Utc("2026-06-12T15:00:00Z")));
    }

    [Fact]
    public void Never_open_has_no_next_opening() =>
        Assert.Null(new OpeningHours(new WeeklyHours(new Dictionary<DayOfWeek, Session?>()), Defaults.ToTimeZone(), _ => false, []).NextOpening(Utc("2026-06-12T15:00:00Z")));

    [Fact]
    public void Hours_are_described_for_the_out_of_hours_message()
    {
        Assert.Equal("Monday, Tuesday, Thursday and Friday from 9:30am to 4pm, and Wednesday from 1pm to 4pm", Hours().DescribeWeek());
        Assert.Equal("Monday 15 June at 9:30am", Hours().Speak(Utc("2026-06-15T08:30:00Z")));
    }

    [Theory]
    [InlineData("9:30-16:00")]
    [InlineData("16:00-09:30")]
    [InlineData("09:30")]
    [InlineData("09:30-25:00")]
    public void Malformed_sessions_fail_validation(string session)
    {
        var options = new OpeningHoursOptions { Monday = session };

        var errors = options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).ToList();

        Assert.Single(errors);
    }

    [Fact]
    public void Unknown_time_zone_fails_validation()
    {
        var options = new OpeningHoursOptions { TimeZone = "Europe/Atlantis" };

        Assert.NotEmpty(options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)));
    }

    [Fact]
    public void A_day_can_run_to_midnight()
    {
        var options = new OpeningHoursOptions { Saturday = "00:00-24:00" };
        var hours = new OpeningHours(options.ToWeeklyHours(), options.ToTimeZone(), _ => false, []);

        Assert.True(hours.IsOpen(Utc("2026-01-17T00:00:00Z")));
        Assert.True(hours.IsOpen(Utc("2026-01-17T23:59:59Z")));
        Assert.False(hours.IsOpen(Utc("2026-01-18T00:00:00Z")));
        Assert.True(hours.IsOpen(Utc("2026-06-13T22:59:59Z"))); // 23:59:59 BST
        Assert.Equal(TimeSpan.FromHours(24), hours.OpenTimeBetween(Utc("2026-01-17T00:00:00Z"), Utc("2026-01-18T12:00:00Z")));
        Assert.Contains("Saturday from 12am to midnight", hours.DescribeWeek(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-01-16T15:00:00Z", "2026-01-19T10:00:00Z", 90)] // Friday 3pm to Monday 10am GMT: Friday's last hour and Monday's first half hour
    [InlineData("2026-01-17T10:00:00Z", "2026-01-18T10:00:00Z", 0)] // all weekend
    [InlineData("2026-01-19T08:00:00Z", "2026-01-19T09:00:00Z", 0)] // Monday before opening
    [InlineData("2026-01-19T10:00:00Z", "2026-01-19T10:20:00Z", 20)] // within the hours
    [InlineData("2026-01-19T10:20:00Z", "2026-01-19T10:00:00Z", 0)] // backwards
    [InlineData("2026-01-20T15:00:00Z", "2026-01-21T13:30:00Z", 90)] // Tuesday's last hour and Wednesday's first half hour (it opens at 1pm)
    [InlineData("2026-04-02T14:00:00Z", "2026-04-07T08:45:00Z", 75)] // Thursday 3pm BST over Good Friday, the weekend and Easter Monday to Tuesday 9:45am
    [InlineData("2026-03-27T15:30:00Z", "2026-03-30T08:40:00Z", 40)] // Friday 3:30pm GMT over the change to Monday 9:40am BST
    public void Open_time_between_two_instants_counts_only_the_hours_open(string from, string until, int minutes) =>
        Assert.Equal(TimeSpan.FromMinutes(minutes), Hours().OpenTimeBetween(Utc(from), Utc(until)));

    [Fact]
    public void Open_time_leaves_out_closures_once_where_they_overlap()
    {
        var first = new ClosedPeriod(Utc("2026-01-19T09:00:00Z"), Utc("2026-01-19T10:00:00Z"));
        var overlapping = new ClosedPeriod(Utc("2026-01-19T09:45:00Z"), Utc("2026-01-19T10:15:00Z"));

        Assert.Equal(TimeSpan.FromMinutes(105), Hours(first, overlapping).OpenTimeBetween(Utc("2026-01-16T15:00:00Z"), Utc("2026-01-19T11:00:00Z")));
    }
}
