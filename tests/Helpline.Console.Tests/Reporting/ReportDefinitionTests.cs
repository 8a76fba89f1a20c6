using Helpline.Console.Reporting;

namespace Helpline.Console.Tests.Reporting;

/// <summary>Every figure of the interval report on a case worked out by hand (docs/reporting.md has the definitions).</summary>
public sealed class ReportDefinitionTests : IAsyncLifetime
{
    private const string Day = "2026-06-10"; // a Wednesday in summer (BST)
    private ReportSeed _seed = null!;

    public async Task InitializeAsync()
    {
        _seed = await ReportSeed.CreateAsync();
        Script(_seed);
        await _seed.SaveAsync();
    }

    /// <summary>The hand-computed day: the figures below are worked out from these rows.</summary>
    private static void Script(ReportSeed s)
    {
        var x = s.NewAdvisor("x");
        var y = s.NewAdvisor("y");

        // A (k1): answered after 15 s, talked 299 s, wrap-up 60 s.
        var a = s.Contact($"{Day} 10:00:00", "k1");
        s.Event(a, "Queued", $"{Day} 10:00:00").Advisor(x, "Available", $"{Day} 09:30:00").Advisor(x, "Offered", $"{Day} 10:00:05")
            .Event(a, "Offered", $"{Day} 10:00:05", x).Event(a, "Assigned", $"{Day} 10:00:15", x, wait: 15).Advisor(x, "OnContact", $"{Day} 10:00:15")
            .Event(a, "Answered", $"{Day} 10:00:16", x).Event(a, "Ended", $"{Day} 10:05:15", x, "Completed", 15).Advisor(x, "WrapUp", $"{Day} 10:05:15")
            .Advisor(x, "Available", $"{Day} 10:06:15");

        // B (k2): answered after 40 s, talked 120 s, wrap-up 30 s.
        var b = s.Contact($"{Day} 10:01:00", "k2");
        s.Advisor(y, "Available", $"{Day} 10:00:00").Event(b, "Queued", $"{Day} 10:01:00").Event(b, "Assigned", $"{Day} 10:01:40", y, wait: 40)
            .Advisor(y, "OnContact", $"{Day} 10:01:40").Event(b, "Answered", $"{Day} 10:01:41", y).Event(b, "Ended", $"{Day} 10:03:41", y, "Completed", 40)
            .Advisor(y, "WrapUp", $"{Day} 10:03:41").Advisor(y, "Available", $"{Day} 10:04:11");

        // C (k1 again): abandoned after 25 s.
        var c = s.Contact($"{Day} 10:10:00", "k1");
        s.Event(c, "Queued", $"{Day} 10:10:00").Event(c, "CallerHungUp", $"{Day} 10:10:25").Event(c, "Ended", $"{Day} 10:10:25", outcome: "Abandoned", wait: 25);

        // D (withheld): a short abandon after 3 s.
        var d = s.Contact($"{Day} 10:12:00", null);
        s.Event(d, "Queued", $"{Day} 10:12:00").Event(d, "CallerHungUp", $"{Day} 10:12:03", reason: "ShortAbandon").Event(d, "Ended", $"{Day} 10:12:03", outcome: "Abandoned", wait: 3);

        // E (k3): nobody signed in for calls... (as the router records it), then F (k3): overflow after 120 s, and a callback request.
        var e = s.Contact($"{Day} 10:15:00", "k3");
        s.Event(e, "Ended", $"{Day} 10:15:00", outcome: "NoAdvisors", wait: 0);
        var f = s.Contact($"{Day} 10:20:00", "k3");
        s.Event(f, "Queued", $"{Day} 10:20:00").Event(f, "Ended", $"{Day} 10:22:00", outcome: "Overflow", wait: 120, reason: "MaxWaitReached")
            .Event(f, "CallbackRequested", $"{Day} 10:22:05");

        // G (k4): still waiting.
        var g = s.Contact($"{Day} 10:25:00", "k4");
        s.Event(g, "Queued", $"{Day} 10:25:00");

        // I (withheld): the caller hung up while the call was being connected: Intake says Abandoned, the router Completed.
        var i = s.Contact($"{Day} 10:26:00", null);
        s.Event(i, "Queued", $"{Day} 10:26:00").Event(i, "Assigned", $"{Day} 10:26:10", x, wait: 10).Event(i, "CallerHungUp", $"{Day} 10:26:12")
            .Event(i, "Ended", $"{Day} 10:26:12", x, "Completed", 10);

        // X takes lunch, then signs out; Y stays Available.
        s.Advisor(x, "Break", $"{Day} 10:20:00", "lunch").Advisor(x, "Offline", $"{Day} 10:25:00");

        // H (k5): out of hours.
        var h = s.Contact($"{Day} 07:00:00", "k5");
        s.Event(h, "Ended", $"{Day} 07:00:00", outcome: "OutOfHours", wait: 0);
    }

    public async Task DisposeAsync() => await _seed.DisposeAsync();

    private Task<IntervalReport> HalfHours(int threshold = 20, bool shortInSl2 = false) =>
        _seed.ReportAsync(Day, Day, ReportGrouping.Minutes30, $"{Day} 12:00:00", threshold, shortInSl2);

    private static ReportRow At(IntervalReport report, int hour, int minute) => report.Intervals.Single(r => r.LocalStart.Hour == hour && r.LocalStart.Minute == minute);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task The_rollups_are_the_same_whatever_order_the_events_arrive_in(int order)
    {
        await using var late = await ReportSeed.CreateAsync();
        Script(late);
        await late.SaveAsync(new Random(order));

        var expected = await HalfHours();
        var actual = await late.ReportAsync(Day, Day, ReportGrouping.Minutes30, $"{Day} 12:00:00");
        Assert.Equal(JsonSerializer.Serialize(expected), JsonSerializer.Serialize(actual));
    }

    [Fact]
    public async Task Calls_are_counted_by_what_became_of_them()
    {
        var row = At(await HalfHours(), 10, 0).Calls;

        Assert.Equal(8, row.Received);
        Assert.Equal(8, row.InHours);
        Assert.Equal(0, row.OutOfHours);
        Assert.Equal(8, row.Offered);
        Assert.Equal(2, row.Answered);
        Assert.Equal(new UnansweredFigures(0, 1, 2, 1, 1), row.Unanswered);
        Assert.Equal(5, row.Unanswered.Total);
        Assert.Equal(1, row.StillOpen);
        Assert.Equal(row.Received, row.Answered + row.Unanswered.Total + row.StillOpen);
        Assert.Equal(1, row.CallbacksRequested);
        Assert.Equal(0.25, row.AnswerRate);
    }

    [Fact]
    public async Task Out_of_hours_calls_are_received_and_unanswered_but_not_offered()
    {
        var row = At(await HalfHours(), 7, 0);

        Assert.Equal(1, row.Calls.Received);
        Assert.Equal(1, row.Calls.OutOfHours);
        Assert.Equal(1, row.Calls.Unanswered.OutOfHours);
        Assert.Equal(0, row.Calls.Offered);
        Assert.Null(row.Calls.AnswerRate);
        Assert.Null(row.Service.ServiceLevel);
        Assert.Null(row.Service.ServiceLevel2);
    }

    [Fact]
    public async Task Callers_are_people_counted_by_hash_with_withheld_calls_apart()
    {
        var report = await HalfHours();
        var row = At(report, 10, 0).Callers;

        Assert.Equal(4, row.Distinct);
        Assert.Equal(2, row.WithheldCalls);
        Assert.Equal(2, row.DistinctNeverAnswered);
        Assert.Equal(2, row.WithheldCallsNeverAnswered);
        Assert.Equal(1.5, row.AttemptsPerCaller);
        Assert.Equal(5, report.Totals.Callers.Distinct); // k5 out of hours too; k1 counted once over the day
        Assert.Equal(3, report.Totals.Callers.DistinctNeverAnswered);
    }

    [Fact]
    public async Task Service_level_ASA_longest_wait_and_handle_time()
    {
        var row = At(await HalfHours(), 10, 0).Service;

        Assert.Equal(1, row.AnsweredWithinThreshold);
        Assert.Equal(0.5, row.ServiceLevel);
        Assert.Equal(1, row.AbandonedWithinThreshold);
        Assert.Equal(0.5, row.ServiceLevel2);
        Assert.Equal(27.5, row.AsaSeconds);
        Assert.Equal(120, row.LongestWaitSeconds);
        Assert.Equal(2, row.HandledCalls);
        Assert.Equal((299 + 60 + 120 + 30) / 2.0, row.AhtSeconds);
        Assert.Equal(15 + 40 + 25 + 3 + 120 + 12, row.TotalWaitSeconds);
        Assert.Equal([0, 1, 0, 1, 0, 0, 0, 0], row.AnsweredWaits);
        Assert.Equal([1, 1, 1, 0, 0, 0, 0, 0], row.AbandonedWaits);
    }

    [Fact]
    public async Task Short_abandons_count_in_SL2_only_when_asked()
    {
        var included = At(await HalfHours(shortInSl2: true), 10, 0).Service;
        var longer = At(await HalfHours(threshold: 30), 10, 0).Service;

        Assert.Equal(0.6, included.ServiceLevel2);
        Assert.Equal(2, included.AbandonedWithinThreshold);
        Assert.Equal(0.5, longer.ServiceLevel);
        Assert.Equal(0.75, longer.ServiceLevel2);
    }

    [Fact]
    public async Task With_no_call_answered_SL_is_null_and_SL2_counts_the_abandoned_calls_alone()
    {
        // 10:15-10:30: E turned away, F overflowed, G still waiting, I abandoned after 12 s; nothing answered.
        var row = At(await _seed.ReportAsync(Day, Day, ReportGrouping.Minutes15, $"{Day} 12:00:00"), 10, 15);

        Assert.Equal(0, row.Calls.Answered);
        Assert.Equal(1, row.Calls.Unanswered.Abandoned);
        Assert.Null(row.Service.ServiceLevel);
        Assert.Equal(1.0, row.Service.ServiceLevel2);
        Assert.Equal(0.0, row.Calls.AnswerRate);
    }

    [Fact]
    public async Task Staffed_time_by_state_occupancy_and_advisors()
    {
        var report = await HalfHours();
        var row = At(report, 10, 0).Capacity;

        Assert.Equal(2479, row.AvailableSeconds, 6);
        Assert.Equal(10, row.OfferedSeconds, 6);
        Assert.Equal(421, row.OnContactSeconds, 6);
        Assert.Equal(90, row.WrapUpSeconds, 6);
        Assert.Equal(300, row.BreakSeconds, 6);
        Assert.Equal(300, row.BreakByReason["lunch"], 6);
        Assert.Equal(3300, row.StaffedSeconds, 6);
        Assert.Equal(511 / 3000.0, row.Occupancy!.Value, 9);
        Assert.Equal(2, row.AdvisorsSignedIn);
        Assert.Equal(3000 / 1800.0, row.AdvisorsStaffedAverage!.Value, 9);
        Assert.Equal(1800, At(report, 9, 30).Capacity.AvailableSeconds, 6);
        Assert.Equal(1, At(report, 9, 30).Capacity.AdvisorsSignedIn);
        Assert.Equal(1800, At(report, 11, 30).Capacity.AvailableSeconds, 6); // Y's span still open, up to now
        Assert.Equal(0, At(report, 12, 0).Capacity.StaffedSeconds);
    }

    [Fact]
    public async Task Email_conversations_received_opened_closed_and_the_backlog()
    {
        var m = _seed.Contact($"{Day} 10:05:00", "e1", "Email");
        _seed.Event(m, "EmailReceived", $"{Day} 10:05:00").Event(m, "ReplySent", $"{Day} 10:40:00").Event(m, "Ended", $"{Day} 10:50:00", outcome: "Completed")
            .Event(m, "Reopened", $"{Day} 11:10:00").Event(m, "EmailReceived", $"{Day} 11:10:00");
        await _seed.SaveAsync();

        var report = await _seed.ReportAsync(Day, Day, ReportGrouping.Minutes60, $"{Day} 12:00:00");

        var ten = report.Intervals.Single(r => r.LocalStart.Hour == 10).Emails;
        var eleven = report.Intervals.Single(r => r.LocalStart.Hour == 11).Emails;
        Assert.Equal(new EmailFigures(1, 1, 1, 0), ten);
        Assert.Equal(new EmailFigures(1, 1, 0, 1), eleven);
        Assert.Equal(8, report.Intervals.Single(r => r.LocalStart.Hour == 10).Calls.Received);
    }
}
