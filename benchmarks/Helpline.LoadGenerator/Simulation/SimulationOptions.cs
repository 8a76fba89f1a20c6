namespace Helpline.LoadGenerator.Simulation;

internal sealed record SimulationOptions(
    Target Target,
    int Advisors,
    double Rate,
    int Seconds,
    DayProfile Day,
    int MaxCalls,
    int? Seed,
    SecondsRange Patience,
    SecondsRange Talk,
    SecondsRange AnswerDelay,
    SecondsRange WrapUp,
    double DeclineChance,
    double MissChance,
    double BreakChance,
    SecondsRange BreakLength,
    double WithheldChance)
{
    public TimeSpan Length => TimeSpan.FromSeconds(Seconds);

    public static SimulationOptions From(CommandLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var target = line.Target();
        var advisors = line.Int("advisors", 10, 1, 2000);
        var rate = line.Number("rate", 0.5, 0.001, 100);
        var seconds = line.Int("seconds", 300, 10, 3 * 3600);
        var day = new DayProfile(
            line.Time("opening", new TimeOnly(9, 30)),
            line.Number("day-hours", 6.5, 0.5, 24),
            line.Weights("profile", DayProfile.DefaultWeights));
        if (day.Weights.Count != day.HourCount)
        {
            throw new UsageException($"--profile needs one weight per hour of the day: {day.HourCount} for --day-hours {day.Hours}.");
        }

        var options = new SimulationOptions(
            target,
            advisors,
            rate,
            seconds,
            day,
            line.Int("max-calls", 2000, 1, 100_000),
            line.OptionalInt("seed"),
            line.Range("patience", new SecondsRange(5, 60)),
            line.Range("talk", new SecondsRange(5, 20)),
            line.Range("answer-delay", new SecondsRange(0.5, 3)),
            line.Range("wrap-up", new SecondsRange(1, 5)),
            line.Chance("decline", 0.05),
            line.Chance("miss", 0.03),
            line.Chance("break", 0.1),
            line.Range("break-length", new SecondsRange(5, 20)),
            line.Chance("withheld", 0.3));
        return options.DeclineChance + options.MissChance <= 1
            ? options
            : throw new UsageException("--decline and --miss together cannot be more than 1.");
    }
}
