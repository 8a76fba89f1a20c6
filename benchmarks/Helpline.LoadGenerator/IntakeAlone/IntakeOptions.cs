namespace Helpline.LoadGenerator.IntakeAlone;

internal sealed record IntakeOptions(Target Target, double Rate, int Seconds, int WarmupSeconds, double WithheldChance, bool HangUp, string DataFolder)
{
    private const int MaxCalls = 1_000_000;

    public int MeasuredCalls => (int)Math.Round(Rate * Seconds);

    public int WarmupCalls => (int)Math.Round(Rate * WarmupSeconds);

    public static IntakeOptions From(CommandLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var options = new IntakeOptions(
            line.Target(),
            line.Number("rate", 2000, 1, 20_000),
            line.Int("seconds", 20, 1, 600),
            line.Int("warmup", 3, 0, 60),
            line.Chance("withheld", 0.3),
            line.Int("hang-up", 1, 0, 1) == 1,
            line.Text("data", ".data"));
        return options.MeasuredCalls + options.WarmupCalls <= MaxCalls
            ? options
            : throw new UsageException($"--rate x (--seconds + --warmup) must be at most {MaxCalls:N0} calls.");
    }
}
