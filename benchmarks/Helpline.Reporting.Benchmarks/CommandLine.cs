using System.Globalization;

namespace Helpline.Reporting.Benchmarks;

internal sealed record CommandLine(string Postgres, int Contacts, int Year, int Runs, bool Reuse)
{
    public static CommandLine Parse(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        return new CommandLine(
            Value("--postgres") ?? Environment.GetEnvironmentVariable("HELPLINE_BENCHMARK_POSTGRES") ?? throw new ArgumentException("Give --postgres \"Host=…;Port=…;Username=…\"."),
            int.Parse(Value("--contacts") ?? "700000", CultureInfo.InvariantCulture),
            int.Parse(Value("--year") ?? "2026", CultureInfo.InvariantCulture),
            int.Parse(Value("--runs") ?? "9", CultureInfo.InvariantCulture),
            args.Contains("--reuse"));
    }
}
