using System.Data;
using System.Data.Common;
using System.Text.RegularExpressions;
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
internal sealed partial class ReportQueries(ConsoleDbContext db, TimeProvider time)
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

    /// <summary>
    /// Every figure that comes from each call's own wait, in one pass over the calls (an index-only scan of
    /// <c>ix_contact_facts_calls</c>): per interval, disposition and wait bucket ((lower, upper], the first
    /// from 0; none without a wait), how many, how many within the request's threshold, and the longest wait.
    /// The range's figures are their sums and maximum.
    /// </summary>
    private const string WaitFigures = $"""
        SELECT w.i, w.disposition, w.b, count(*) AS n, count(*) FILTER (WHERE w.wait <= @threshold) AS within, max(w.wait) AS longest
        FROM (SELECT width_bucket(f.received_at, @starts) AS i, f.disposition, f.wait_seconds AS wait,
                     width_bucket(f.wait_seconds, @bounds) - CASE WHEN f.wait_seconds = ANY(@bounds) THEN 1 ELSE 0 END AS b
              {CallRows}) w
        GROUP BY w.i, w.disposition, w.b
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
        var parameters = new BatchParameters(
            [.. intervals.Select(i => i.Start.ToUniversalTime())],
            from.ToUniversalTime(),
            to.ToUniversalTime(),
            until.ToUniversalTime(),
            request.ThresholdSeconds,
            [.. buckets.Select(b => (double)b)]);

        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var first = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
            await using var other = new NpgsqlConnection(db.Database.GetConnectionString());
            await other.OpenAsync(cancellationToken);
            await using var second = await other.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
            await ShareSnapshotAsync(connection, other, cancellationToken);

            var backlogBefore = 0L;
            async Task CallsAsync()
            {
                await using var reader = await Batch(connection, parameters, CallFigures, CallerFigures, EmailBacklogBefore).ExecuteReaderAsync(cancellationToken);
                await reader.NextResultAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    Row(reader).ReadCalls(reader);
                }

                await reader.NextResultAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    Row(reader).ReadCallers(reader);
                }

                await reader.NextResultAsync(cancellationToken);
                await reader.ReadAsync(cancellationToken);
                backlogBefore = reader.GetInt64(0);
            }

            async Task WaitsAndTimeAsync()
            {
                await using var reader = await Batch(other, parameters, WaitFigures, CapacityFigures, EmailFigures, EmailReplyFigures).ExecuteReaderAsync(cancellationToken);
                await reader.NextResultAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    var group = new WaitGroup(
                        reader.IsDBNull(1) ? null : reader.GetString(1),
                        reader.IsDBNull(2) ? null : reader.GetInt32(2),
                        reader.GetInt64(3),
                        reader.GetInt64(4),
                        reader.IsDBNull(5) ? null : reader.GetDouble(5));
                    rows[reader.GetInt32(0) - 1].AddWaits(group);
                    rows[^1].AddWaits(group);
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
            }

            // The two halves write different figures of the rows; the backlog needs both, so it comes after.
            await Task.WhenAll(CallsAsync(), WaitsAndTimeAsync());
            var backlog = backlogBefore;
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

    /// <summary>
    /// The second connection reads the same snapshot as the first (<c>pg_export_snapshot</c>), so both halves
    /// of the report see the same events however many arrive while it runs.
    /// </summary>
    private static async Task ShareSnapshotAsync(NpgsqlConnection exporter, NpgsqlConnection importer, CancellationToken cancellationToken)
    {
        await using var export = new NpgsqlCommand("SELECT pg_export_snapshot()", exporter);
        var snapshot = (string?)await export.ExecuteScalarAsync(cancellationToken);
        if (snapshot is null || !SnapshotId().IsMatch(snapshot))
        {
            throw new InvalidOperationException("PostgreSQL returned an unexpected snapshot identifier.");
        }

        // SET TRANSACTION SNAPSHOT takes no parameter; the identifier was checked above.
        await using var import = new NpgsqlCommand($"SET TRANSACTION SNAPSHOT '{snapshot}'", importer);
        await import.ExecuteNonQueryAsync(cancellationToken);
    }

    [GeneratedRegex("^[0-9A-F]{1,16}-[0-9A-F]{1,16}-[0-9]{1,10}$")]
    private static partial Regex SnapshotId();

    /// <summary>One round trip: this transaction's memory setting, then the statements, all with the same parameters.</summary>
    private static NpgsqlBatch Batch(NpgsqlConnection connection, BatchParameters parameters, params string[] statements)
    {
        var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(new NpgsqlBatchCommand(WorkMemory));
        foreach (var sql in statements)
        {
            var command = new NpgsqlBatchCommand(sql);
            command.Parameters.Add(new NpgsqlParameter("starts", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = parameters.Starts });
            command.Parameters.Add(new NpgsqlParameter("from", NpgsqlDbType.TimestampTz) { Value = parameters.From });
            command.Parameters.Add(new NpgsqlParameter("to", NpgsqlDbType.TimestampTz) { Value = parameters.To });
            command.Parameters.Add(new NpgsqlParameter("until", NpgsqlDbType.TimestampTz) { Value = parameters.Until });
            command.Parameters.Add(new NpgsqlParameter("threshold", NpgsqlDbType.Double) { Value = parameters.Threshold });
            command.Parameters.Add(new NpgsqlParameter("bounds", NpgsqlDbType.Array | NpgsqlDbType.Double) { Value = parameters.Bounds });
            batch.BatchCommands.Add(command);
        }

        return batch;
    }

    private sealed record BatchParameters(DateTimeOffset[] Starts, DateTimeOffset From, DateTimeOffset To, DateTimeOffset Until, double Threshold, double[] Bounds);

    /// <summary>One group of <see cref="WaitFigures"/>: a disposition's calls in one wait bucket (none without a wait).</summary>
    private readonly record struct WaitGroup(string? Disposition, int? Bucket, long Calls, long Within, double? Longest);

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

        /// <summary>A group of calls' waits: the threshold counts of its disposition, its wait bucket and the longest wait.</summary>
        public void AddWaits(WaitGroup group)
        {
            var waits = AbandonedWaits;
            switch (group.Disposition)
            {
                case Dispositions.Answered:
                    _answeredWithin += group.Within;
                    waits = AnsweredWaits;
                    break;
                case Dispositions.Abandoned:
                    _abandonedWithin += group.Within;
                    break;
                case Dispositions.ShortAbandon:
                    _shortWithin += group.Within;
                    break;
                default:
                    waits = null;
                    break;
            }

            if (waits is not null && group.Bucket is { } bucket)
            {
                waits[Math.Clamp(bucket, 0, waits.Length - 1)] += group.Calls;
            }

            if (group.Longest is { } longest && (_longest is null || longest > _longest))
            {
                _longest = longest;
            }
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
