namespace Helpline.LoadGenerator.Latency;

internal sealed record LatencyOptions(
    Target Target,
    int Advisors,
    double Rate,
    int Seconds,
    int WarmupSeconds,
    SecondsRange Talk,
    TimeSpan OfferTimeout,
    int FloorMessages,
    double WithheldChance,
    string DataFolder)
{
    private const int MaxCalls = 100_000;

    public int MeasuredCalls => (int)Math.Round(Rate * Seconds);

    public int WarmupCalls => (int)Math.Round(Rate * WarmupSeconds);

    public static LatencyOptions From(CommandLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var options = new LatencyOptions(
            line.Target(),
            line.Int("advisors", 200, 1, 2000),
            line.Number("rate", 50, 0.1, 1000),
            line.Int("seconds", 60, 1, 3600),
            line.Int("warmup", 5, 0, 600),
            line.Range("talk", new SecondsRange(1, 3)),
            TimeSpan.FromSeconds(line.Int("offer-timeout", 30, 1, 600)),
            line.Int("floor-messages", 2000, 0, MaxCalls),
            line.Chance("withheld", 0.3),
            line.Text("data", ".data"));
        return options.MeasuredCalls is >= 1 and <= MaxCalls - 1 && options.MeasuredCalls + options.WarmupCalls <= MaxCalls
            ? options
            : throw new UsageException($"--rate x --seconds must make at least one call, and with --warmup at most {MaxCalls:N0}.");
    }
}
