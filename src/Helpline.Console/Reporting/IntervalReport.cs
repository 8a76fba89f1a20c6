namespace Helpline.Console.Reporting;

/// <summary>What a report is asked for: local dates (both inclusive), the interval, and the choices that may vary per request.</summary>
internal sealed record ReportRequest(DateOnly From, DateOnly To, ReportGrouping Interval, int ThresholdSeconds, bool ShortAbandonsInServiceLevel2);

/// <summary>A report: one row per interval and a row for the whole range (people counted once over the range, not summed).</summary>
internal sealed record IntervalReport(
    DateOnly From,
    DateOnly To,
    ReportGrouping Interval,
    string TimeZone,
    ReportDefinitions Definitions,
    IReadOnlyList<ReportRow> Intervals,
    ReportRow Totals);

/// <summary>The choices this report was computed with (docs/reporting.md defines every figure).</summary>
/// <param name="AsOf">When it was computed: an interval reaching past this moment is still filling.</param>
internal sealed record ReportDefinitions(
    int ServiceLevelThresholdSeconds,
    bool ServiceLevel2CountsShortAbandons,
    IReadOnlyList<int> WaitBucketsSeconds,
    IReadOnlyList<string> BreakReasons,
    DateTimeOffset AsOf);

internal sealed record ReportRow(
    DateTimeOffset Start,
    DateTimeOffset End,
    DateTime LocalStart,
    DateTime LocalEnd,
    double LengthMinutes,
    bool ClockChange,
    string Label,
    CallFigures Calls,
    CallerFigures Callers,
    ServiceFigures Service,
    CapacityFigures Capacity,
    EmailFigures Emails);

/// <summary>Calls by what became of them: Received = Answered + Unanswered.Total + StillOpen, always.</summary>
internal sealed record CallFigures(
    long Received,
    long InHours,
    long OutOfHours,
    long Offered,
    long Answered,
    UnansweredFigures Unanswered,
    long StillOpen,
    long CallbacksRequested,
    double? AnswerRate);

/// <summary>Unanswered calls by reason (public: the supervisors' dashboard sends it).</summary>
public sealed record UnansweredFigures(long OutOfHours, long NoAdvisors, long Abandoned, long ShortAbandon, long Overflow)
{
    public long Total => OutOfHours + NoAdvisors + Abandoned + ShortAbandon + Overflow;
}

/// <summary>People, not only attempts: callers by the keyed hash of their number; withheld calls on their own line.</summary>
internal sealed record CallerFigures(long Distinct, long WithheldCalls, long DistinctNeverAnswered, long WithheldCallsNeverAnswered, double? AttemptsPerCaller);

/// <param name="AnsweredWaits">Answered calls by wait, one count per bucket of <see cref="ReportDefinitions.WaitBucketsSeconds"/> plus one for longer.</param>
/// <param name="TotalWaitSeconds">The waits of every call that waited (answered, abandoned, overflowed) added up.</param>
/// <param name="AbandonedWaits">Abandoned calls (short abandons included) by time to abandon, the same buckets.</param>
internal sealed record ServiceFigures(
    long AnsweredWithinThreshold,
    long AbandonedWithinThreshold,
    double? ServiceLevel,
    double? ServiceLevel2,
    double? AsaSeconds,
    double? LongestWaitSeconds,
    double? AhtSeconds,
    long HandledCalls,
    double TotalWaitSeconds,
    IReadOnlyList<long> AnsweredWaits,
    IReadOnlyList<long> AbandonedWaits);

/// <param name="BreakByReason">Break time of each configured reason, and "other reasons".</param>
/// <param name="AdvisorsSignedIn">Advisors signed in at some moment of the interval.</param>
/// <param name="AdvisorsStaffedAverage">Advisors signed in and not on break, on average over the interval (or its elapsed part).</param>
internal sealed record CapacityFigures(
    double StaffedSeconds,
    double AvailableSeconds,
    double OfferedSeconds,
    double OnContactSeconds,
    double WrapUpSeconds,
    double BreakSeconds,
    IReadOnlyDictionary<string, double> BreakByReason,
    double? Occupancy,
    long AdvisorsSignedIn,
    double? AdvisorsStaffedAverage);

/// <param name="Received">Inbound email messages (EmailReceived events), first messages and replies alike.</param>
/// <param name="ConversationsOpened">Conversations that began or were reopened.</param>
/// <param name="ConversationsClosed">Conversations closed (Ended).</param>
/// <param name="BacklogAtEnd">Conversations open at the interval's end (or now, for an interval still filling).</param>
internal sealed record EmailFigures(long Received, long ConversationsOpened, long ConversationsClosed, long BacklogAtEnd);

/// <summary>Calls by local weekday and hour over a range: the weekday × hour heat map of unanswered calls.</summary>
internal sealed record HeatMapReport(DateOnly From, DateOnly To, string TimeZone, IReadOnlyList<HeatMapCell> Cells);

/// <param name="Hour">The local hour, 0–23 (the hour repeated when the clocks go back counts once, doubled in length).</param>
/// <param name="Unanswered">Calls of every unanswered reason, out of hours included.</param>
internal sealed record HeatMapCell(string Weekday, int Hour, long Received, long Unanswered);
