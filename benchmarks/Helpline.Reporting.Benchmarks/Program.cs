// Generates a year of contacts, contact events and advisor events (by default 700,000 contacts: 100× the
// helpline's volume) into a fresh database through the same triggers production uses, then times the
// reports warm (with --reuse, an existing database gets the pending migrations, whose first fills build
// any new rollups from what is there). Usage (PostgreSQL from deploy/local or any other):
//   dotnet run -c Release --project benchmarks/Helpline.Reporting.Benchmarks -- \
//     --postgres "Host=127.0.0.1;Port=55443;Username=postgres" [--contacts 700000] [--reuse]
using System.Diagnostics;
using System.Globalization;
using Helpline.Console.Data;
using Helpline.Console.Reporting;
using Helpline.Reporting.Benchmarks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

var options = CommandLine.Parse(args);
var connectionString = new NpgsqlConnectionStringBuilder(options.Postgres) { Database = "helpline_reporting_benchmark", CommandTimeout = 0 }.ConnectionString;
var builder = new DbContextOptionsBuilder<ConsoleDbContext>();
builder.UseHelplinePostgres(connectionString, ConsoleDbContext.Schema);

bool migrated;
await using (var db = new ConsoleDbContext(builder.Options))
{
    if (!options.Reuse)
    {
        await db.Database.EnsureDeletedAsync();
    }

    migrated = (await db.Database.GetPendingMigrationsAsync()).Any();
    await db.Database.MigrateAsync();
}

if (!options.Reuse)
{
    var watch = Stopwatch.StartNew();
    var counts = await new YearGenerator(connectionString, options.Contacts, options.Year).GenerateAsync();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"generated {counts.Contacts:N0} contacts, {counts.ContactEvents:N0} contact events, {counts.AdvisorEvents:N0} advisor events in {watch.Elapsed.TotalSeconds:N0} s (through the triggers)"));
}

if (migrated)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var vacuum = new NpgsqlCommand("VACUUM ANALYZE", connection);
    await vacuum.ExecuteNonQueryAsync();
}

await using (var connection = new NpgsqlConnection(connectionString))
{
    await connection.OpenAsync();
    foreach (var table in new[] { "contacts", "contact_events", "advisor_events", "contact_facts", "call_quarters", "advisor_time", "advisor_presence", "email_activity" })
    {
        await using var count = new NpgsqlCommand($"SELECT count(*), pg_size_pretty(pg_total_relation_size('console.{table}')) FROM console.{table}", connection);
        await using var reader = await count.ExecuteReaderAsync();
        await reader.ReadAsync();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {table,-17} {reader.GetInt64(0),12:N0} rows {reader.GetString(1),10}"));
    }
}

var now = new FakeTimeProvider(new DateTimeOffset(options.Year + 1, 1, 15, 12, 0, 0, TimeSpan.Zero));
var reporting = new ReportingOptions();
var cases = new (string Name, ReportRequest Request, double TargetMs)[]
{
    ("a month (March) in 30-minute intervals", new ReportRequest(new DateOnly(options.Year, 3, 1), new DateOnly(options.Year, 3, 31), ReportGrouping.Minutes30, 20, false), 200),
    ("a month (October) in 30-minute intervals", new ReportRequest(new DateOnly(options.Year, 10, 1), new DateOnly(options.Year, 10, 31), ReportGrouping.Minutes30, 20, false), 200),
    ("the year by day", new ReportRequest(new DateOnly(options.Year, 1, 1), new DateOnly(options.Year, 12, 31), ReportGrouping.Day, 20, false), 2000),
    ("the year by week", new ReportRequest(new DateOnly(options.Year, 1, 1), new DateOnly(options.Year, 12, 31), ReportGrouping.Week, 20, false), 2000),
};
var failed = false;
foreach (var (name, request, target) in cases)
{
    var times = new List<double>();
    for (var run = 0; run < 2 + options.Runs; run++)
    {
        await using var db = new ConsoleDbContext(builder.Options);
        var watch = Stopwatch.StartNew();
        var report = await new ReportQueries(db, now).RunAsync(request, reporting, CancellationToken.None);
        watch.Stop();
        if (run >= 2)
        {
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        if (run == 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {report.Intervals.Count} intervals, {report.Totals.Calls.Received:N0} calls, {report.Totals.Callers.Distinct:N0} callers"));
        }
    }

    times.Sort();
    var median = times[times.Count / 2];
    var p95 = times[(int)Math.Ceiling(0.95 * times.Count) - 1];
    failed |= median > target;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  warm: median {median:N0} ms, p95 {p95:N0} ms (nearest rank), min {times[0]:N0} ms, max {times[^1]:N0} ms over {times.Count} runs (target < {target:N0} ms: {(median <= target ? "met" : "NOT met")})"));
}

return failed ? 1 : 0;
