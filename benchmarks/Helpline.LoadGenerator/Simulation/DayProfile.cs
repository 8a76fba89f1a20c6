namespace Helpline.LoadGenerator.Simulation;

/// <summary>
/// A helpline day: it opens at <paramref name="Opening"/>, lasts <paramref name="Hours"/> and has a
/// relative demand per hour from opening (the last hour may be partial). A run compresses it into a
/// wall-clock length.
/// </summary>
internal sealed record DayProfile(TimeOnly Opening, double Hours, IReadOnlyList<double> Weights)
{
    /// <summary>A busy first hour, a dip over lunch, a second peak after it and a quieter last half hour.</summary>
    public static readonly IReadOnlyList<double> DefaultWeights = [1.3, 1.2, 0.9, 0.7, 1.1, 1.0, 0.8];

    public int HourCount => (int)Math.Ceiling(Hours);

    /// <summary>
    /// Arrival offsets from the start of a run of <paramref name="length"/>: a Poisson process whose
    /// rate is constant within each hour, follows the weights and averages <paramref name="meanPerSecond"/>.
    /// At most <paramref name="maxCalls"/>.
    /// </summary>
    public IReadOnlyList<TimeSpan> Arrivals(double meanPerSecond, TimeSpan length, int maxCalls, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var meanWeight = Enumerable.Range(0, HourCount).Sum(hour => Weights[hour] * HourLength(hour)) / Hours;
        var secondsPerHour = length.TotalSeconds / Hours;
        var arrivals = new List<TimeSpan>();
        for (var hour = 0; hour < HourCount && arrivals.Count < maxCalls; hour++)
        {
            var rate = meanPerSecond * Weights[hour] / meanWeight;
            if (rate <= 0)
            {
                continue;
            }

            var end = (hour + HourLength(hour)) * secondsPerHour;
            for (var at = (hour * secondsPerHour) + Exponential(random, rate); at < end && arrivals.Count < maxCalls; at += Exponential(random, rate))
            {
                arrivals.Add(TimeSpan.FromSeconds(at));
            }
        }

        return arrivals;
    }

    /// <summary>Which hour from opening an offset into a run of <paramref name="length"/> falls in.</summary>
    public int HourAt(TimeSpan offset, TimeSpan length) => Math.Min(HourCount - 1, (int)(Hours * (offset / length)));

    /// <summary>The time of day an offset into a run of <paramref name="length"/> stands for.</summary>
    public TimeOnly ClockAt(TimeSpan offset, TimeSpan length) => Opening.Add(TimeSpan.FromHours(Hours * (offset / length)));

    private double HourLength(int hour) => Math.Min(1, Hours - hour);

    private static double Exponential(Random random, double rate) => -Math.Log(1 - random.NextDouble()) / rate;
}
