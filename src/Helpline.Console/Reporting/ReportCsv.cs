using System.Globalization;
using CsvHelper;

namespace Helpline.Console.Reporting;

/// <summary>
/// The interval report as CSV (RFC 4180, CsvHelper), one line per interval and a last line for the whole
/// range (<c>row</c> = <c>interval</c> or <c>total</c>). Column names are stable and documented in
/// docs/reporting.md; those of the wait buckets and break reasons follow the configured lists (the
/// defaults give the documented names). Numbers are invariant (a point for decimals); an empty cell is
/// a figure with no value (a rate with nothing to divide by).
/// </summary>
internal static class ReportCsv
{
    public static IReadOnlyList<(string Name, Func<ReportRow, object?> Value)> Columns(ReportDefinitions definitions)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        var columns = new List<(string, Func<ReportRow, object?>)>
        {
            ("interval_start", r => r.Start.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)),
            ("interval_end", r => r.End.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)),
            ("local_start", r => r.LocalStart.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)),
            ("local_end", r => r.LocalEnd.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)),
            ("length_minutes", r => r.LengthMinutes),
            ("clock_change", r => r.ClockChange),
            ("label", r => r.Label),
            ("calls_received", r => r.Calls.Received),
            ("calls_in_hours", r => r.Calls.InHours),
            ("calls_out_of_hours", r => r.Calls.OutOfHours),
            ("calls_offered", r => r.Calls.Offered),
            ("calls_answered", r => r.Calls.Answered),
            ("unanswered_out_of_hours", r => r.Calls.Unanswered.OutOfHours),
            ("unanswered_no_advisors", r => r.Calls.Unanswered.NoAdvisors),
            ("unanswered_abandoned", r => r.Calls.Unanswered.Abandoned),
            ("unanswered_short_abandon", r => r.Calls.Unanswered.ShortAbandon),
            ("unanswered_overflow", r => r.Calls.Unanswered.Overflow),
            ("unanswered_total", r => r.Calls.Unanswered.Total),
            ("calls_still_open", r => r.Calls.StillOpen),
            ("callbacks_requested", r => r.Calls.CallbacksRequested),
            ("answer_rate", r => r.Calls.AnswerRate),
            ("callers_distinct", r => r.Callers.Distinct),
            ("withheld_calls", r => r.Callers.WithheldCalls),
            ("callers_never_answered", r => r.Callers.DistinctNeverAnswered),
            ("withheld_calls_never_answered", r => r.Callers.WithheldCallsNeverAnswered),
            ("attempts_per_caller", r => r.Callers.AttemptsPerCaller),
            ("answered_within_threshold", r => r.Service.AnsweredWithinThreshold),
            ("abandoned_within_threshold", r => r.Service.AbandonedWithinThreshold),
            ("service_level", r => r.Service.ServiceLevel),
            ("service_level_2", r => r.Service.ServiceLevel2),
            ("asa_seconds", r => r.Service.AsaSeconds),
            ("longest_wait_seconds", r => r.Service.LongestWaitSeconds),
            ("aht_seconds", r => r.Service.AhtSeconds),
            ("handled_calls", r => r.Service.HandledCalls),
            ("total_wait_seconds", r => r.Service.TotalWaitSeconds),
        };
        foreach (var (kind, select) in new (string, Func<ReportRow, IReadOnlyList<long>>)[] { ("answered", r => r.Service.AnsweredWaits), ("abandoned", r => r.Service.AbandonedWaits) })
        {
            for (var i = 0; i <= definitions.WaitBucketsSeconds.Count; i++)
            {
                var bucket = i;
                var name = i < definitions.WaitBucketsSeconds.Count
                    ? string.Create(CultureInfo.InvariantCulture, $"{kind}_wait_le_{definitions.WaitBucketsSeconds[i]}s")
                    : string.Create(CultureInfo.InvariantCulture, $"{kind}_wait_over_{definitions.WaitBucketsSeconds[^1]}s");
                columns.Add((name, r => select(r)[bucket]));
            }
        }

        columns.AddRange(
        [
            ("staffed_seconds", r => r.Capacity.StaffedSeconds),
            ("available_seconds", r => r.Capacity.AvailableSeconds),
            ("offered_seconds", r => r.Capacity.OfferedSeconds),
            ("on_contact_seconds", r => r.Capacity.OnContactSeconds),
            ("wrap_up_seconds", r => r.Capacity.WrapUpSeconds),
            ("break_seconds", r => r.Capacity.BreakSeconds),
        ]);
        foreach (var reason in definitions.BreakReasons.Append(ReportQueries.OtherReasons))
        {
            columns.Add(($"break_{Slug(reason)}_seconds", r => r.Capacity.BreakByReason.GetValueOrDefault(reason)));
        }

        columns.AddRange(
        [
            ("occupancy", r => r.Capacity.Occupancy),
            ("advisors_signed_in", r => r.Capacity.AdvisorsSignedIn),
            ("advisors_staffed_average", r => r.Capacity.AdvisorsStaffedAverage),
            ("emails_received", r => r.Emails.Received),
            ("email_conversations_opened", r => r.Emails.ConversationsOpened),
            ("email_conversations_closed", r => r.Emails.ConversationsClosed),
            ("email_backlog_at_end", r => r.Emails.BacklogAtEnd),
        ]);
        return columns;
    }

    public static async Task WriteAsync(IntervalReport report, TextWriter target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        var columns = Columns(report.Definitions);
        await using var csv = new CsvWriter(target, CultureInfo.InvariantCulture, leaveOpen: true);
        csv.WriteField("row");
        foreach (var (name, _) in columns)
        {
            csv.WriteField(name);
        }

        await csv.NextRecordAsync();
        foreach (var (kind, row) in report.Intervals.Select(r => ("interval", r)).Append(("total", report.Totals)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            csv.WriteField(kind);
            foreach (var (_, value) in columns)
            {
                csv.WriteField(Format(value(row)));
            }

            await csv.NextRecordAsync();
        }

        await csv.FlushAsync();
    }

    private static string Format(object? value) => value switch
    {
        null => string.Empty,
        double d => Math.Round(d, 4).ToString("0.####", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static string Slug(string reason) =>
        new(reason.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());
}
