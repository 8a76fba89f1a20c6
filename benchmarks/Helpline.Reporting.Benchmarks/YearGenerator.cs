using Helpline.Console.Reporting;
using Npgsql;
using NpgsqlTypes;

namespace Helpline.Reporting.Benchmarks;

/// <summary>
/// A year of the helpline at a multiple of its volume, day by day, as the router would have recorded it:
/// calls through the weekly hours (out of hours, answered, abandoned and short abandons from callers'
/// exponential patience, overflow after ten minutes, no advisors before the first sign-in), advisors'
/// shifts with lunch breaks and every status change a call makes, and email conversations (received,
/// replied, closed, some reopened). Rows go in with COPY, so the reporting triggers fill the rollups as
/// production's inserts would. Seeded: the same year every time.
/// </summary>
internal sealed class YearGenerator(string connectionString, int contacts, int year)
{
    private const int Advisors = 42;
    private const int Callers = 250_000;
    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
    private readonly Random _random = new(2026);

    public async Task<(long Contacts, long ContactEvents, long AdvisorEvents)> GenerateAsync()
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var advisorIds = Enumerable.Range(0, Advisors).Select(i => new Guid(i + 1, 0, 0, new byte[8])).ToArray();
        await using (var command = new NpgsqlCommand("INSERT INTO console.advisors (id, user_name, skills, email_capacity, call_endpoint, created_at) SELECT unnest(@ids), 'advisor-' || generate_series(1, @n), 'CallsAndEmails', 3, 'client:bench', now()", connection))
        {
            command.Parameters.AddWithValue("ids", advisorIds);
            command.Parameters.AddWithValue("n", Advisors);
            await command.ExecuteNonQueryAsync();
        }

        var days = Enumerable.Range(0, DateTime.IsLeapYear(year) ? 366 : 365).Select(d => new DateOnly(year, 1, 1).AddDays(d)).ToList();
        var weights = days.Select(d => d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 0.5 : 1.2).ToList();
        var perWeight = contacts / weights.Sum();
        long contactCount = 0, eventCount = 0, advisorEventCount = 0;
        for (var i = 0; i < days.Count; i++)
        {
            var day = new Day(days[i], advisorIds, _random);
            var target = (int)Math.Round(perWeight * weights[i]);
            for (var c = 0; c < target; c++)
            {
                day.Contact(_random.Next(Callers));
            }

            day.Finish();
            await CopyAsync(connection, day);
            contactCount += day.Contacts.Count;
            eventCount += day.Events.Count;
            advisorEventCount += day.AdvisorEvents.Count;
        }

        return (contactCount, eventCount, advisorEventCount);
    }

    private static async Task CopyAsync(NpgsqlConnection connection, Day day)
    {
        await using (var writer = await connection.BeginBinaryImportAsync("COPY console.contacts (id, channel, provider_reference, caller_key, received_at, queued_at, status, advisor_id, ended_at) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var c in day.Contacts)
            {
                await writer.StartRowAsync();
                await writer.WriteAsync(c.Id, NpgsqlDbType.Uuid);
                await writer.WriteAsync(c.Channel, NpgsqlDbType.Varchar);
                await writer.WriteAsync($"bench-{c.Id:N}", NpgsqlDbType.Varchar);
                await Nullable(writer, c.CallerKey, NpgsqlDbType.Varchar);
                await writer.WriteAsync(c.ReceivedAt.ToUniversalTime(), NpgsqlDbType.TimestampTz);
                await writer.WriteAsync(c.ReceivedAt.ToUniversalTime(), NpgsqlDbType.TimestampTz);
                await writer.WriteAsync(c.Status, NpgsqlDbType.Varchar);
                await Nullable(writer, c.AdvisorId, NpgsqlDbType.Uuid);
                await Nullable(writer, c.EndedAt?.ToUniversalTime(), NpgsqlDbType.TimestampTz);
            }

            await writer.CompleteAsync();
        }

        await using (var writer = await connection.BeginBinaryImportAsync("COPY console.contact_events (contact_id, type, advisor_id, offer_id, outcome, reason, wait_seconds, at) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var e in day.Events.OrderBy(e => e.At))
            {
                await writer.StartRowAsync();
                await writer.WriteAsync(e.ContactId, NpgsqlDbType.Uuid);
                await writer.WriteAsync(e.Type, NpgsqlDbType.Varchar);
                await Nullable(writer, e.AdvisorId, NpgsqlDbType.Uuid);
                await writer.WriteNullAsync();
                await Nullable(writer, e.Outcome, NpgsqlDbType.Varchar);
                await Nullable(writer, e.Reason, NpgsqlDbType.Varchar);
                await Nullable(writer, e.Wait, NpgsqlDbType.Double);
                await writer.WriteAsync(e.At.ToUniversalTime(), NpgsqlDbType.TimestampTz);
            }

            await writer.CompleteAsync();
        }

        await using (var writer = await connection.BeginBinaryImportAsync("COPY console.advisor_events (advisor_id, status, reason, at) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var e in day.AdvisorEvents.OrderBy(e => e.At))
            {
                await writer.StartRowAsync();
                await writer.WriteAsync(e.AdvisorId, NpgsqlDbType.Uuid);
                await writer.WriteAsync(e.Status, NpgsqlDbType.Varchar);
                await Nullable(writer, e.Reason, NpgsqlDbType.Varchar);
                await writer.WriteAsync(e.At.ToUniversalTime(), NpgsqlDbType.TimestampTz);
            }

            await writer.CompleteAsync();
        }
    }

    private static Task Nullable<T>(NpgsqlBinaryImporter writer, T? value, NpgsqlDbType type) =>
        value is null ? writer.WriteNullAsync() : writer.WriteAsync(value, type);

    private sealed record ContactRow(Guid Id, string Channel, string? CallerKey, DateTimeOffset ReceivedAt, string Status, Guid? AdvisorId, DateTimeOffset? EndedAt);

    private sealed record EventRow(Guid ContactId, string Type, DateTimeOffset At, Guid? AdvisorId = null, string? Outcome = null, string? Reason = null, double? Wait = null);

    private sealed record AdvisorEventRow(Guid AdvisorId, string Status, DateTimeOffset At, string? Reason = null);

    /// <summary>One day: its opening session, the advisors on shift, and the contacts in arrival order.</summary>
    private sealed class Day
    {
        private readonly Random _random;
        private readonly Guid[] _advisors;
        private readonly DateTimeOffset? _opens;
        private readonly DateTimeOffset? _closes;
        private readonly DateTimeOffset[] _freeAt;
        private readonly bool[] _lunched;
        private readonly DateTimeOffset[] _signedInAt;
        private readonly List<(DateTimeOffset At, int Caller)> _arrivals = [];

        public Day(DateOnly date, Guid[] advisors, Random random)
        {
            Date = date;
            _random = random;
            _advisors = advisors;
            var session = date.DayOfWeek switch
            {
                DayOfWeek.Saturday or DayOfWeek.Sunday => ((TimeOnly, TimeOnly)?)null,
                DayOfWeek.Wednesday => (new TimeOnly(13, 0), new TimeOnly(16, 0)),
                _ => (new TimeOnly(9, 30), new TimeOnly(16, 0)),
            };
            if (session is { } s)
            {
                _opens = ReportIntervals.ToInstant(date.ToDateTime(s.Item1), London);
                _closes = ReportIntervals.ToInstant(date.ToDateTime(s.Item2), London);
            }

            _freeAt = new DateTimeOffset[advisors.Length];
            _lunched = new bool[advisors.Length];
            _signedInAt = new DateTimeOffset[advisors.Length];
        }

        public DateOnly Date { get; }

        public List<ContactRow> Contacts { get; } = [];

        public List<EventRow> Events { get; } = [];

        public List<AdvisorEventRow> AdvisorEvents { get; } = [];

        public void Contact(int caller)
        {
            var start = ReportIntervals.ToInstant(Date.ToDateTime(TimeOnly.MinValue), London);
            var end = ReportIntervals.ToInstant(Date.AddDays(1).ToDateTime(TimeOnly.MinValue), London);
            var inHours = _opens is { } opens && _closes is { } closes && _random.NextDouble() < 0.85;
            var at = inHours
                ? _opens!.Value + ((_closes!.Value - _opens.Value) * _random.NextDouble())
                : start + ((end - start) * _random.NextDouble());
            _arrivals.Add((at, caller));
        }

        public void Finish()
        {
            // Advisors sign in shortly before opening (some a little late), and out after the last wrap-up.
            if (_opens is { } opens)
            {
                for (var a = 0; a < _advisors.Length; a++)
                {
                    _freeAt[a] = opens.AddMinutes(_random.Next(-10, 20));
                    _signedInAt[a] = _freeAt[a];
                    AdvisorEvents.Add(new AdvisorEventRow(_advisors[a], "Available", _freeAt[a]));
                }
            }

            foreach (var (at, caller) in _arrivals.OrderBy(a => a.At))
            {
                Handle(at, caller);
            }

            if (_closes is { } closes)
            {
                for (var a = 0; a < _advisors.Length; a++)
                {
                    AdvisorEvents.Add(new AdvisorEventRow(_advisors[a], "Offline", Max(_freeAt[a], closes).AddMinutes(_random.Next(1, 15))));
                }
            }
        }

        private void Handle(DateTimeOffset at, int caller)
        {
            var id = Guid.NewGuid();
            var key = _random.NextDouble() < 0.1 ? null : $"{caller:x64}"[^64..];
            if (_random.NextDouble() < 0.1)
            {
                Email(id, key, at);
                return;
            }

            Events.Add(new EventRow(id, "Received", at));
            if (_opens is not { } opens || _closes is not { } closes || at < opens || at >= closes)
            {
                End(id, key, at, "OutOfHours", at, null, 0);
                return;
            }

            var signedIn = Enumerable.Range(0, _advisors.Length).Where(a => _signedInAt[a] <= at).ToList();
            if (signedIn.Count == 0)
            {
                End(id, key, at, "NoAdvisors", at, null, 0);
                return;
            }

            Events.Add(new EventRow(id, "Queued", at));
            var advisor = signedIn.MinBy(a => _freeAt[a]);
            var offeredAt = Max(at, _freeAt[advisor]);
            var wait = (offeredAt - at).TotalSeconds;
            var patience = -120 * Math.Log(1 - _random.NextDouble());
            if (wait > 600 && patience > 600)
            {
                End(id, key, at, "Overflow", at.AddSeconds(600), null, 600, "MaxWaitReached");
                return;
            }

            if (wait + 4 > patience)
            {
                var hungUp = at.AddSeconds(patience);
                Events.Add(new EventRow(id, "CallerHungUp", hungUp, Reason: patience <= 5 ? "ShortAbandon" : null));
                End(id, key, at, "Abandoned", hungUp, null, patience);
                return;
            }

            var guid = _advisors[advisor];
            var assigned = offeredAt.AddSeconds(3);
            var answered = assigned.AddSeconds(1);
            var ended = answered.AddSeconds(-540 * Math.Log(1 - _random.NextDouble()));
            var wrapped = ended.AddSeconds(60);
            AdvisorEvents.Add(new AdvisorEventRow(guid, "Offered", offeredAt));
            AdvisorEvents.Add(new AdvisorEventRow(guid, "OnContact", assigned));
            AdvisorEvents.Add(new AdvisorEventRow(guid, "WrapUp", ended));
            AdvisorEvents.Add(new AdvisorEventRow(guid, "Available", wrapped));
            Events.Add(new EventRow(id, "Offered", offeredAt, guid));
            Events.Add(new EventRow(id, "Assigned", assigned, guid, Wait: (assigned - at).TotalSeconds));
            Events.Add(new EventRow(id, "Answered", answered, guid));
            End(id, key, at, "Completed", ended, guid, (assigned - at).TotalSeconds);
            _freeAt[advisor] = wrapped;

            // Lunch: the first time an advisor is free after noon.
            var noon = ReportIntervals.ToInstant(Date.ToDateTime(new TimeOnly(12, 0)), London);
            if (!_lunched[advisor] && wrapped >= noon && Date.DayOfWeek != DayOfWeek.Wednesday)
            {
                _lunched[advisor] = true;
                AdvisorEvents.Add(new AdvisorEventRow(guid, "Break", wrapped.AddTicks(1), "lunch"));
                _freeAt[advisor] = wrapped.AddMinutes(30);
                AdvisorEvents.Add(new AdvisorEventRow(guid, "Available", _freeAt[advisor]));
            }
        }

        private void Email(Guid id, string? key, DateTimeOffset at)
        {
            Events.Add(new EventRow(id, "Received", at));
            Events.Add(new EventRow(id, "EmailReceived", at));
            var replied = at.AddHours(1 + (47 * _random.NextDouble()));
            var closed = replied.AddHours(1);
            Events.Add(new EventRow(id, "ReplySent", replied));
            Events.Add(new EventRow(id, "Ended", closed, Outcome: "Completed"));
            if (_random.NextDouble() < 0.1)
            {
                var reopened = closed.AddDays(2);
                Events.Add(new EventRow(id, "EmailReceived", reopened));
                Events.Add(new EventRow(id, "Reopened", reopened));
                Events.Add(new EventRow(id, "Ended", reopened.AddHours(3), Outcome: "Completed"));
            }

            Contacts.Add(new ContactRow(id, "Email", key, at, "Completed", null, closed));
        }

        private void End(Guid id, string? key, DateTimeOffset receivedAt, string outcome, DateTimeOffset at, Guid? advisor, double wait, string? reason = null)
        {
            Events.Add(new EventRow(id, "Ended", at, advisor, outcome, reason, wait));
            Contacts.Add(new ContactRow(id, "Call", key, receivedAt, outcome, advisor, at));
        }

        private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
    }
}
