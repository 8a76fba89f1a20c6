using System.Globalization;
using Helpline.Console.Data;
using Helpline.Console.Reporting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Helpline.Console.Tests.Reporting;

/// <summary>
/// A database of its own with contacts, contact events and advisor events written as the router and the
/// consumers write them (rows, by SQL), for report definitions computed by hand. Times are local
/// Europe/London wall-clock times.
/// </summary>
internal sealed class ReportSeed : IAsyncDisposable
{
    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
    private readonly List<(string Sql, object?[] Values)> _rows = [];

    private ReportSeed(TestDatabase database) => Database = database;

    public TestDatabase Database { get; }

    public static async Task<ReportSeed> CreateAsync()
    {
        var database = TestDatabase.Create("reports");
        await database.MigrateAsync<ConsoleDbContext>(ConsoleDbContext.Schema, options => new ConsoleDbContext(options));
        return new ReportSeed(database);
    }

    public static DateTimeOffset Local(string text) =>
        ReportIntervals.ToInstant(DateTime.ParseExact(text, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), London);

    public Guid Contact(string receivedAt, string? callerKey, string channel = "Call")
    {
        var id = Guid.NewGuid();
        _rows.Add(("INSERT INTO console.contacts (id, channel, provider_reference, caller_key, received_at, queued_at, status) VALUES ($1, $2, $3, $4, $5, $5, 'Queued')",
            [id, channel, $"seed-{id:N}", callerKey, Local(receivedAt).ToUniversalTime()]));
        Event(id, "Received", receivedAt);
        return id;
    }

    public ReportSeed Event(Guid contactId, string type, string at, Guid? advisorId = null, string? outcome = null, double? wait = null, string? reason = null)
    {
        _rows.Add(("INSERT INTO console.contact_events (contact_id, type, advisor_id, outcome, wait_seconds, reason, at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            [contactId, type, advisorId, outcome, wait, reason, Local(at).ToUniversalTime()]));
        return this;
    }

    public ReportSeed Advisor(Guid advisorId, string status, string at, string? reason = null)
    {
        _rows.Add(("INSERT INTO console.advisor_events (advisor_id, status, reason, at) VALUES ($1, $2, $3, $4)", [advisorId, status, reason, Local(at).ToUniversalTime()]));
        return this;
    }

    public Guid NewAdvisor(string name)
    {
        var id = Guid.NewGuid();
        _rows.Add(("INSERT INTO console.advisors (id, user_name, skills, email_capacity, call_endpoint, created_at) VALUES ($1, $2, 'CallsAndEmails', 3, 'client:x', now())", [id, name]));
        return id;
    }

    /// <summary>
    /// Writes what was staged, one transaction each (as separate router transitions would): in order, or,
    /// given <paramref name="shuffle"/>, advisors and contacts first and then their events in a random order
    /// (late and out-of-order events).
    /// </summary>
    public async Task SaveAsync(Random? shuffle = null)
    {
        var rows = _rows.ToArray();
        if (shuffle is not null)
        {
            var first = rows.Where(r => !r.Sql.Contains("_events", StringComparison.Ordinal)).ToArray();
            var events = rows.Where(r => r.Sql.Contains("_events", StringComparison.Ordinal)).ToArray();
            shuffle.Shuffle(events);
            rows = [.. first, .. events];
        }

        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        foreach (var (sql, values) in rows)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            foreach (var value in values)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
            }

            await command.ExecuteNonQueryAsync();
        }

        _rows.Clear();
    }

    public async Task<IntervalReport> ReportAsync(string from, string to, ReportGrouping interval, string now, int threshold = 20, bool shortInSl2 = false, ReportingOptions? options = null)
    {
        var builder = new DbContextOptionsBuilder<ConsoleDbContext>();
        builder.UseHelplinePostgres(Database.ConnectionString, ConsoleDbContext.Schema);
        await using var db = new ConsoleDbContext(builder.Options);
        var clock = new FakeTimeProvider(Local(now));
        var queries = new ReportQueries(db, clock);
        return await queries.RunAsync(
            new ReportRequest(DateOnly.Parse(from, CultureInfo.InvariantCulture), DateOnly.Parse(to, CultureInfo.InvariantCulture), interval, threshold, shortInSl2),
            options ?? new ReportingOptions(),
            CancellationToken.None);
    }

    public ValueTask DisposeAsync() => Database.DisposeAsync();
}
