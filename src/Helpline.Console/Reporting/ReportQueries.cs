using System.Data.Common;
using Helpline.Console.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Helpline.Console.Reporting;

/// <summary>
/// The reports' SQL over the rollups (<c>call_quarters</c>, <c>contact_facts</c>, <c>advisor_time</c>, <c>advisor_presence</c>, <c>email_activity</c>), in
/// one round trip. Rows are put into intervals by <c>width_bucket</c> over the intervals' starts (a binary
/// search), and <c>GROUPING SETS</c> gives the range's own row in the same scan, so that people are counted
/// once over the range and not summed over its intervals.
/// </summary>
internal sealed class ReportQueries(ConsoleDbContext db, TimeProvider time)
{
    /// <summary>For this batch's transaction only: enough memory to hash a year's callers without spilling to disk.</summary>
    private const string WorkMemory = "SELECT set_config('work_mem', '64MB', true)";

    /// <summary>The calls received in the range, each once (the partial covering index <c>ix_contact_facts_calls</c>).</summary>
    private const string CallRows = "FROM console.contact_facts f WHERE f.channel = 'Call' AND f.received_at >= @from AND f.received_at < @to";

    /// <summary>The additive call figures: sums of the <c>call_quarters</c> rollup (every interval is a union of UTC quarters).</summary>
    private static readonly string CallFigures = $"""
        SELECT GROUPING(q.i) = 1 AS total, q.i,
               {string.Join(", ", CallQuarterRollup.Columns.Split(',', StringSplitOptions.TrimEntries).Skip(1).Select(c => $"coalesce(sum(q.{c}), 0)::bigint AS {c}"))}
        FROM (SELECT width_bucket(t.quarter_start, @starts) AS i, t.* FROM console.call_quarters t WHERE t.quarter_start >= @from AND t.quarter_start < @to) q
        GROUP BY GROUPING SETS ((q.i), ())
        """;

    /// <summary>
    /// The figures that depend on the request's threshold, and the longest wait, from each call's wait, per
    /// interval (the range's are their sum and maximum).
    /// </summary>
    private const string ServiceFigures = $"""
        SELECT false AS total, c.i,
               count(*) FILTER (WHERE c.disposition = '{Dispositions.Answered}' AND c.wait <= @threshold) AS answered_within,
               count(*) FILTER (WHERE c.disposition = '{Dispositions.Abandoned}' AND c.wait <= @threshold) AS abandoned_within,
               count(*) FILTER (WHERE c.disposition = '{Dispositions.ShortAbandon}' AND c.wait <= @threshold) AS short_within,
               max(c.wait) AS longest
        FROM (SELECT width_bucket(f.received_at, @starts) AS i, f.disposition, f.wait_seconds AS wait {CallRows}) c
        GROUP BY c.i
        """;

    /// <summary>
    /// Distinct callers (withheld numbers aside) and those answered at least once, per interval and over the
    /// range: grouped by caller first (hashing, not sorting), so a caller counts once however often they rang.
    /// </summary>
    private const string CallerFigures = $"""
        SELECT false AS total, p.i, count(*) AS callers, count(*) FILTER (WHERE p.answered) AS callers_answered
        FROM (SELECT width_bucket(f.received_at, @starts) AS i, f.caller_key, bool_or(f.disposition = '{Dispositions.Answered}') AS answered
              {CallRows} AND f.caller_key IS NOT NULL GROUP BY 1, 2) p
        GROUP BY p.i
        UNION ALL
        SELECT true, NULL, count(*), count(*) FILTER (WHERE p.answered)
        FROM (SELECT f.caller_key, bool_or(f.disposition = '{Dispositions.Answered}') AS answered
              {CallRows} AND f.caller_key IS NOT NULL GROUP BY 1) p
        """;

    /// <summary>Answered waits and times to abandon by bucket: (lower, upper], the first from 0; per interval (the range's are their sums).</summary>
    private const string WaitFigures = $"""
        SELECT false AS total, w.i, w.answered, w.b, count(*) AS n
        FROM (SELECT width_bucket(f.received_at, @starts) AS i, f.disposition = '{Dispositions.Answered}' AS answered,
                     width_bucket(f.wait_seconds, @bounds) - CASE WHEN f.wait_seconds = ANY(@bounds) THEN 1 ELSE 0 END AS b
              {CallRows} AND f.wait_seconds IS NOT NULL
              AND f.disposition IN ('{Dispositions.Answered}', '{Dispositions.Abandoned}', '{Dispositions.ShortAbandon}')) w
        GROUP BY w.i, w.answered, w.b
        """;

    /// <summary>
    /// Advisors' time by state (the closed spans from <c>advisor_time</c>) and who was signed in (from
    /// <c>advisor_presence</c>), each with every advisor's span still open (since their latest event) cut
    /// into quarters up to now.
    /// </summary>
    private const string CapacityFigures = """
        WITH latest AS (
          SELECT e.advisor_id, e.status, coalesce(e.reason, '') AS reason, e.at
          FROM console.advisors a
          CROSS JOIN LATERAL (SELECT x.advisor_id, x.status, x.reason, x.at FROM console.advisor_events x
                              WHERE x.advisor_id = a.id ORDER BY x.at DESC, x.id DESC LIMIT 1) e
          WHERE e.status <> 'Offline' AND e.at < @until),
        open_time AS (
          SELECT q AS quarter_start, l.advisor_id, l.status, l.reason,
                 (extract(epoch FROM least(q + interval '15 minutes', @until) - greatest(q, l.at)) * 1000000)::bigint AS microseconds
          FROM latest l
          CROSS JOIN LATERAL generate_series(date_bin('15 minutes', greatest(l.at, @from), TIMESTAMPTZ '2000-01-01 00:00:00+00'),
                                             @until - interval '1 microsecond', interval '15 minutes') q),
        states AS (
          SELECT width_bucket(t.quarter_start, @starts) AS i, t.status, t.reason, t.microseconds FROM console.advisor_time t
          WHERE t.quarter_start >= @from AND t.quarter_start < @to
          UNION ALL
          SELECT width_bucket(o.quarter_start, @starts), o.status, o.reason, o.microseconds FROM open_time o WHERE o.microseconds > 0),
        present AS (
          SELECT width_bucket(p.quarter_start, @starts) AS i, p.advisor_id FROM console.advisor_presence p
          WHERE p.quarter_start >= @from AND p.quarter_start < @to AND p.microseconds > 0
          UNION ALL
          SELECT width_bucket(o.quarter_start, @starts), o.advisor_id FROM open_time o WHERE o.microseconds > 0)
        SELECT GROUPING(s.i) = 1 AS total, s.i, false AS all_states, s.status, s.reason, sum(s.microseconds)::bigint AS microseconds, 0::bigint AS advisors
        FROM states s
        GROUP BY GROUPING SETS ((s.i, s.status, s.reason), (s.status, s.reason))
        UNION ALL
        SELECT GROUPING(p.i) = 1, p.i, true, NULL, NULL, 0, count(DISTINCT p.advisor_id)
        FROM present p
        GROUP BY GROUPING SETS ((p.i), ())
        """;

    private const string EmailFigures = """
        SELECT GROUPING(a.i) = 1 AS total, a.i,
               count(*) FILTER (WHERE a.kind = 'Received') AS received,
               count(*) FILTER (WHERE a.kind IN ('Opened', 'Reopened')) AS opened,
               count(*) FILTER (WHERE a.kind = 'Closed') AS closed
        FROM (SELECT width_bucket(e.at, @starts) AS i, e.kind FROM console.email_activity e WHERE e.at >= @from AND e.at < @until) a
        GROUP BY GROUPING SETS ((a.i), ())
        """;

    /// <summary>Conversations by when their first message came (as a call belongs to when it was received), with the first reply's open time.</summary>
    private const string EmailReplyFigures = """
        SELECT GROUPING(r.i) = 1 AS total, r.i, count(*) AS replied, avg(r.open_seconds) AS mean_open, max(r.open_seconds) AS longest_open
        FROM (SELECT width_bucket(f.received_at, @starts) AS i, f.first_reply_open_seconds AS open_seconds
              FROM console.contact_facts f
              WHERE f.channel = 'Email' AND f.received_at >= @from AND f.received_at < @to AND f.first_reply_open_seconds IS NOT NULL) r
        GROUP BY GROUPING SETS ((r.i), ())
        """;

    private const string EmailBacklogBefore = """
        SELECT (SELECT count(*) FROM console.email_activity WHERE kind = 'Opened' AND at < @from)
             + (SELECT count(*) FROM console.email_activity WHERE kind = 'Reopened' AND at < @from)
             - (SELECT count(*) FROM console.email_activity WHERE kind = 'Closed' AND at < @from)
        """;

    /// <summary>By the local hour of each UTC quarter: every real zone's offset is a multiple of 15 minutes, so a quarter lies in one local hour.</summary>
    private const string UnansweredByHour = """
        SELECT extract(isodow FROM q.quarter_start AT TIME ZONE @zone)::int AS weekday,
               extract(hour FROM q.quarter_start AT TIME ZONE @zone)::int AS hour,
               sum(q.received)::bigint AS received,
               sum(q.received - q.answered - q.still_open)::bigint AS unanswered
        FROM console.call_quarters q
        WHERE q.quarter_start >= @from AND q.quarter_start < @to
        GROUP BY 1, 2
        """;

    /// <summary>Calls received and unanswered (every reason) by local weekday (Monday first) and hour, over the range.</summary>
    public async Task<HeatMapReport> UnansweredByHourAsync(DateOnly from, DateOnly to, ReportingOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var zone = options.Zone();
        var start = ReportIntervals.ToInstant(from.ToDateTime(TimeOnly.MinValue), zone);
        var end = ReportIntervals.ToInstant(to.AddDays(1).ToDateTime(TimeOnly.MinValue), zone);
        var received = new long[7, 24];
        var unanswered = new long[7, 24];
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand(UnansweredByHour, connection);
            command.Parameters.Add(new NpgsqlParameter("zone", NpgsqlDbType.Text) { Value = options.TimeZone });
            command.Parameters.Add(new NpgsqlParameter("from", NpgsqlDbType.TimestampTz) { Value = start.ToUniversalTime() });
            command.Parameters.Add(new NpgsqlParameter("to", NpgsqlDbType.TimestampTz) { Value = end.ToUniversalTime() });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var (day, hour) = (reader.GetInt32(0) - 1, reader.GetInt32(1));
                received[day, hour] = reader.GetInt64(2);
                unanswered[day, hour] = reader.GetInt64(3);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        var days = new[] { "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday" };
        return new HeatMapReport(
            from,
            to,
            options.TimeZone,
            [.. Enumerable.Range(0, 7).SelectMany(d => Enumerable.Range(0, 24).Select(h => new HeatMapCell(days[d], h, received[d, h], unanswered[d, h])))]);
    }

    public async Task<IntervalReport> RunAsync(ReportRequest request, ReportingOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        var zone = options.Zone();
        var intervals = ReportIntervals.Build(request.From, request.To, request.Interval, zone);
        var now = time.GetUtcNow();
        var from = intervals[0].Start;
        var to = intervals[^1].End;
        var until = now < to ? (now > from ? now : from) : to;
        var buckets = options.WaitBuckets;
        var breakReasons = options.ReportedBreakReasons;
        var rows = Enumerable.Range(0, intervals.Count + 1).Select(_ => new RowTotals(buckets.Count + 1)).ToArray();
        RowTotals Row(DbDataReader reader) => reader.GetBoolean(0) ? rows[^1] : rows[reader.GetInt32(1) - 1];

        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var batch = new NpgsqlBatch(connection);
            var starts = intervals.Select(i => i.Start.ToUniversalTime()).ToArray();
            var memory = new NpgsqlBatchCommand(WorkMemory);
            batch.BatchCommands.Add(memory);
            foreach (var sql in new[] { CallFigures, ServiceFigures, CallerFigures, WaitFigures, CapacityFigures, EmailFigures, EmailReplyFigures, EmailBacklogBefore })
            {
                var command = new NpgsqlBatchCommand(sql);
                command.Parameters.Add(new NpgsqlParameter("starts", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = starts });
                command.Parameters.Add(new NpgsqlParameter("from", NpgsqlDbType.TimestampTz) { Value = from.ToUniversalTime() });
                command.Parameters.Add(new NpgsqlParameter("to", NpgsqlDbType.TimestampTz) { Value = to.ToUniversalTime() });
                command.Parameters.Add(new NpgsqlParameter("until", NpgsqlDbType.TimestampTz) { Value = until.ToUniversalTime() });
                command.Parameters.Add(new NpgsqlParameter("threshold", NpgsqlDbType.Double) { Value = (double)request.ThresholdSeconds });
                command.Parameters.Add(new NpgsqlParameter("bounds", NpgsqlDbType.Array | NpgsqlDbType.Double) { Value = buckets.Select(b => (double)b).ToArray() });
                batch.BatchCommands.Add(command);
            }

            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                Row(reader).ReadCalls(reader);
            }

            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                Row(reader).ReadService(reader, rows[^1]);
            }

            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                Row(reader).ReadCallers(reader);
            }

            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                foreach (var row in new[] { Row(reader), rows[^1] })
                {
                    var waits = reader.GetBoolean(2) ? row.AnsweredWaits : row.AbandonedWaits;
                    waits[Math.Clamp(reader.GetInt32(3), 0, waits.Length - 1)] += reader.GetInt64(4);
                }
            }

            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                Row(reader).ReadCapacity(reader, breakReasons);
            }

            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                Row(reader).ReadEmails(reader);
            }

            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                Row(reader).ReadReplies(reader);
            }

            await reader.NextResultAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var backlog = reader.GetInt64(0);
            foreach (var row in rows[..^1])
            {
                backlog += row.EmailsOpened - row.EmailsClosed;
                row.EmailBacklog = backlog;
            }

            rows[^1].EmailBacklog = backlog;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        var whole = new ReportInterval(from, to, intervals[0].LocalStart, intervals[^1].LocalEnd, intervals.Any(i => i.SpansClockChange), $"{request.From:d MMM yyyy}–{request.To:d MMM yyyy}");
        return new IntervalReport(
            request.From,
            request.To,
            request.Interval,
            options.TimeZone,
            new ReportDefinitions(request.ThresholdSeconds, request.ShortAbandonsInServiceLevel2, buckets, breakReasons, now),
            intervals.Select((interval, index) => rows[index].ToRow(interval, now, request, breakReasons)).ToList(),
            rows[^1].ToRow(whole, now, request, breakReasons));
    }

    /// <summary>One row's sums as read, before they become figures.</summary>
    private sealed class RowTotals(int bucketCount)
    {
        private long _received, _outOfHours, _noAdvisors, _abandoned, _shortAbandon, _overflow, _offered, _answered, _open, _callbacks;
        private long _callers, _callersAnswered, _withheld, _withheldUnanswered, _knownCalls;
        private long _answeredWithin, _abandonedWithin, _shortWithin, _handled;
        private double? _asa, _longest, _aht;
        private double _staffedTime, _availableTime, _offeredTime, _onContactTime, _wrapUpTime, _breakTime;
        private long _advisors;
        private long _replied;
        private double? _replyOpenMean, _replyOpenLongest;
        private readonly Dictionary<string, double> _breaks = [];

        public long[] AnsweredWaits { get; } = new long[bucketCount];

        public long[] AbandonedWaits { get; } = new long[bucketCount];

        public long EmailsReceived { get; private set; }

        public long EmailsOpened { get; private set; }

        public long EmailsClosed { get; private set; }

        public long EmailBacklog { get; set; }

        private double _waited;

        public void ReadCalls(DbDataReader r)
        {
            long Count(string name) => r.GetInt64(r.GetOrdinal(name));
            (_received, _outOfHours, _noAdvisors, _abandoned, _shortAbandon, _overflow) =
                (Count("received"), Count("out_of_hours"), Count("no_advisors"), Count("abandoned"), Count("short_abandon"), Count("overflow"));
            (_offered, _answered, _open, _callbacks) = (Count("offered"), Count("answered"), Count("still_open"), Count("callbacks"));
            (_withheld, _withheldUnanswered, _knownCalls, _handled) = (Count("withheld"), Count("withheld_unanswered"), Count("known_calls"), Count("handled"));
            _asa = Mean(Count("answered_wait_microseconds"), Count("answered_waits"));
            _aht = Mean(Count("handle_microseconds"), _handled);
            _waited = Count("waited_microseconds") / 1e6;
        }

        /// <summary>An interval's service figures, added to the range's <paramref name="total"/> too.</summary>
        public void ReadService(DbDataReader r, RowTotals total)
        {
            (_answeredWithin, _abandonedWithin, _shortWithin) = (r.GetInt64(2), r.GetInt64(3), r.GetInt64(4));
            _longest = r.IsDBNull(5) ? null : r.GetDouble(5);
            (total._answeredWithin, total._abandonedWithin, total._shortWithin) =
                (total._answeredWithin + _answeredWithin, total._abandonedWithin + _abandonedWithin, total._shortWithin + _shortWithin);
            total._longest = total._longest is { } longest && (_longest is null || longest >= _longest) ? longest : _longest;
        }

        public void ReadCallers(DbDataReader r) => (_callers, _callersAnswered) = (r.GetInt64(2), r.GetInt64(3));

        private static double? Mean(long microseconds, long count) => count == 0 ? null : microseconds / 1e6 / count;

        /// <summary>Rows by state and reason, plus one per row for all states (its advisors signed in).</summary>
        public void ReadCapacity(DbDataReader r, IReadOnlyList<string> breakReasons)
        {
            if (r.GetBoolean(2))
            {
                _advisors = r.GetInt64(6);
                return;
            }

            var seconds = r.GetInt64(5) / 1e6;
            _staffedTime += seconds;
            switch (r.GetString(3))
            {
                case "Available":
                    _availableTime += seconds;
                    break;
                case "Offered":
                    _offeredTime += seconds;
                    break;
                case "OnContact":
                    _onContactTime += seconds;
                    break;
                case "WrapUp":
                    _wrapUpTime += seconds;
                    break;
                case "Break":
                    _breakTime += seconds;
                    var reason = r.GetString(4);
                    var key = breakReasons.Contains(reason) ? reason : OtherReasons;
                    _breaks[key] = _breaks.GetValueOrDefault(key) + seconds;
                    break;
            }
        }

        public void ReadEmails(DbDataReader r) => (EmailsReceived, EmailsOpened, EmailsClosed) = (r.GetInt64(2), r.GetInt64(3), r.GetInt64(4));

        public void ReadReplies(DbDataReader r) =>
            (_replied, _replyOpenMean, _replyOpenLongest) = (r.GetInt64(2), r.IsDBNull(3) ? null : r.GetDouble(3), r.IsDBNull(4) ? null : r.GetDouble(4));

        public ReportRow ToRow(ReportInterval interval, DateTimeOffset now, ReportRequest request, IReadOnlyList<string> breakReasons)
        {
            var unanswered = new UnansweredFigures(_outOfHours, _noAdvisors, _abandoned, _shortAbandon, _overflow);
            var inHours = _received - _outOfHours;
            var sl2Abandoned = _abandoned + (request.ShortAbandonsInServiceLevel2 ? _shortAbandon : 0);
            var sl2Within = _abandonedWithin + (request.ShortAbandonsInServiceLevel2 ? _shortWithin : 0);
            var elapsed = (now < interval.End ? now : interval.End) - interval.Start;
            var working = _staffedTime - _breakTime;
            return new ReportRow(
                interval.Start,
                interval.End,
                interval.LocalStart,
                interval.LocalEnd,
                interval.Length.TotalMinutes,
                interval.SpansClockChange,
                interval.Label,
                new CallFigures(_received, inHours, _outOfHours, _offered, _answered, unanswered, _open, _callbacks, Ratio(_answered, _offered)),
                new CallerFigures(_callers, _withheld, _callers - _callersAnswered, _withheldUnanswered, Ratio(_knownCalls, _callers)),
                new ServiceFigures(
                    _answeredWithin,
                    sl2Within,
                    Ratio(_answeredWithin, _answered),
                    Ratio(_answeredWithin + sl2Within, _answered + sl2Abandoned),
                    _asa,
                    _longest,
                    _aht,
                    _handled,
                    _waited,
                    AnsweredWaits,
                    AbandonedWaits),
                new CapacityFigures(
                    _staffedTime,
                    _availableTime,
                    _offeredTime,
                    _onContactTime,
                    _wrapUpTime,
                    _breakTime,
                    breakReasons.Append(OtherReasons).ToDictionary(reason => reason, reason => _breaks.GetValueOrDefault(reason)),
                    working > 0 ? (_onContactTime + _wrapUpTime) / working : null,
                    _advisors,
                    elapsed > TimeSpan.Zero ? working / elapsed.TotalSeconds : null),
                new EmailFigures(EmailsReceived, EmailsOpened, EmailsClosed, EmailBacklog, _replied, _replyOpenMean, _replyOpenLongest));
        }
    }

    public const string OtherReasons = "other reasons";

    private static double? Ratio(long part, long whole) => whole == 0 ? null : (double)part / whole;
}
