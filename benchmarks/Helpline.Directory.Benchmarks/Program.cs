// Benchmarks for the directory (docs/benchmarks.md, "Directory"):
//   matching [--services 5000] [--callers 20000]          matching each caller against the whole directory, in memory
//   unmet-need --postgres "Host=…;Username=…" [--contacts 700000]   the unmet-need report's SQL over synthetic contacts
using System.Diagnostics;
using System.Globalization;
using Helpline.Console.Data;
using Helpline.Console.Directory;
using Helpline.Console.Records;
using Helpline.Console.UnmetNeed;
using Helpline.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.EntityFrameworkCore;
using Npgsql;

var command = args.FirstOrDefault() ?? "";
string Option(string name, string fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback;
int Number(string name, int fallback) => int.Parse(Option(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

switch (command)
{
    case "matching":
        Matching(Number("--services", 5_000), Number("--callers", 20_000));
        break;
    case "unmet-need":
        await UnmetNeed(Option("--postgres", ""), Number("--contacts", 700_000));
        break;
    default:
        Console.Error.WriteLine("usage: matching [--services N] [--callers N] | unmet-need --postgres CONNECTION [--contacts N]");
        return 2;
}

return 0;

static void Matching(int serviceCount, int callerCount)
{
    var areas = new AreaDirectory();
    var random = new Random(13);
    var forces = new[] { "E23000001", "E23000033", "E23000002", "E23000007", "E23000030", "W15000003", "E23000010", "E23000029" };
    var lads = new[] { "E06000043", "E07000226", "E07000028", "E08000035", "W06000015", "E09000002" };
    var relationships = DirectoryVocabulary.Relationships;
    var services = Enumerable.Range(0, serviceCount).Select(i =>
    {
        var s = new SupportService { Id = $"s{i}", Provider = $"Provider {i % 700}", Name = $"Service {i}", ReferralMethod = DirectoryVocabulary.Phone, Status = DirectoryVocabulary.Accepting, Phone = "0100" };
        s.Areas = random.Next(50) == 0 ? [DirectoryVocabulary.England, DirectoryVocabulary.Wales]
            : random.Next(4) == 0 ? [lads[random.Next(lads.Length)]]
            : [forces[random.Next(forces.Length)]];
        s.Relationships = random.Next(3) switch { 0 => [], 1 => ["exPartner"], _ => [.. relationships.Where(_ => random.Next(2) == 0)] };
        s.RiskBands = random.Next(5) == 0 ? ["high"] : [];
        s.MinAge = random.Next(6) == 0 ? 16 : null;
        s.Genders = random.Next(8) == 0 ? ["female"] : [];
        s.Status = random.Next(10) == 0 ? DirectoryVocabulary.WaitingList : DirectoryVocabulary.Accepting;
        s.StatusUntil = s.Status == DirectoryVocabulary.WaitingList ? new DateOnly(2027, 1, 31) : null;
        return s;
    }).ToList();
    var callers = Enumerable.Range(0, callerCount).Select(_ => new CallerFacts(
        random.Next(3) == 0 ? null : lads[random.Next(lads.Length)],
        forces[random.Next(forces.Length)],
        random.Next(8) == 0 ? null : relationships[random.Next(relationships.Count)],
        random.Next(4) == 0 ? null : Bands[random.Next(Bands.Length)],
        random.Next(4) == 0 ? null : RecordVocabulary.AgeGroups[random.Next(RecordVocabulary.AgeGroups.Count)],
        random.Next(4) == 0 ? null : RecordVocabulary.Genders[random.Next(RecordVocabulary.Genders.Count)])).ToList();
    var today = new DateOnly(2026, 12, 2);

    for (var i = 0; i < 200; i++)
    {
        ServiceMatcher.Match(callers[i], services, areas, today);
    }

    var times = new double[callers.Count];
    var total = Stopwatch.StartNew();
    long matches = 0;
    for (var i = 0; i < callers.Count; i++)
    {
        var start = Stopwatch.GetTimestamp();
        matches += ServiceMatcher.Match(callers[i], services, areas, today).Matches.Count;
        times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    total.Stop();
    Array.Sort(times);
    Console.WriteLine($"matching: {serviceCount} services, {callerCount} callers, {matches / (double)callerCount:0.0} matches per caller on average");
    Console.WriteLine($"  per caller: p50 {times[callerCount / 2]:0.00} ms, p99 {times[(int)(callerCount * 0.99)]:0.00} ms, max {times[^1]:0.00} ms; {callerCount / total.Elapsed.TotalSeconds:0} callers/s on one thread");
}

static async Task UnmetNeed(string postgres, int contacts)
{
    if (postgres.Length == 0)
    {
        throw new ArgumentException("Give --postgres with a connection string (a database is created and dropped).");
    }

    var name = $"unmet_bench_{Guid.NewGuid():N}"[..24];
    var connection = new NpgsqlConnectionStringBuilder(postgres) { Database = name, CommandTimeout = 600 }.ConnectionString;
    var options = (DbContextOptions<ConsoleDbContext>)new DbContextOptionsBuilder<ConsoleDbContext>().UseHelplinePostgres(connection, ConsoleDbContext.Schema).Options;
    try
    {
        var clock = Stopwatch.StartNew();
        await using (var db = new ConsoleDbContext(options))
        {
            await db.Database.MigrateAsync();
        }

        await using (var seed = new NpgsqlConnection(connection))
        {
            await seed.OpenAsync();
            for (var done = 0; done < contacts; done += 100_000)
            {
                await using var insert = new NpgsqlCommand(UnmetNeedSeed.Sql(Math.Min(100_000, contacts - done), seed: done / 100_000 + 1, daysBefore: 365), seed) { CommandTimeout = 600 };
                await insert.ExecuteNonQueryAsync();
            }

            await using var analyze = new NpgsqlCommand("ANALYZE", seed);
            await analyze.ExecuteNonQueryAsync();
        }

        Console.WriteLine($"unmet-need: {contacts} contacts seeded and analysed in {clock.Elapsed.TotalSeconds:0} s");
        var now = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/London"));
        var quarter = $"{now.Year}-Q{((now.Month - 1) / 3) + 1}";
        var fy = now.Month >= 4 ? now.Year : now.Year - 1;
        foreach (var id in new[] { now.ToString("yyyy-MM", CultureInfo.InvariantCulture), quarter, $"FY{fy}-{(fy + 1) % 100:00}" })
        {
            var period = ReportPeriod.Parse(id)!;
            var runs = new List<double>();
            UnmetNeedResult? result = null;
            for (var run = 0; run < 6; run++)
            {
                await using var db = new ConsoleDbContext(options);
                var start = Stopwatch.GetTimestamp();
                result = await new UnmetNeedReport(db).RunAsync(period, CancellationToken.None);
                runs.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }

            var warm = runs.Skip(1).Order().ToList();
            Console.WriteLine($"  {id,-10} {result!.Totals.Contacts,8} contacts: first {runs[0]:0} ms, then median {warm[warm.Count / 2]:0} ms, max {warm[^1]:0} ms");
        }
    }
    finally
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(postgres);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}

internal static partial class Program
{
    private static readonly string[] Bands = ["standard", "medium", "high"];
}
