using System.Globalization;

namespace Helpline.LoadGenerator;

/// <summary>Count and nearest-rank percentiles of a set of durations, in milliseconds.</summary>
internal sealed record LatencySummary(int Count, double P50, double P90, double P99, double Max)
{
    public static LatencySummary Of(IEnumerable<TimeSpan> durations)
    {
        var sorted = durations.Select(d => d.TotalMilliseconds).Order().ToArray();
        return sorted.Length == 0
            ? new LatencySummary(0, double.NaN, double.NaN, double.NaN, double.NaN)
            : new LatencySummary(sorted.Length, Rank(sorted, 0.50), Rank(sorted, 0.90), Rank(sorted, 0.99), sorted[^1]);
    }

    private static double Rank(double[] sorted, double quantile) =>
        sorted[Math.Max(0, (int)Math.Ceiling(quantile * sorted.Length) - 1)];

    public override string ToString() => Count == 0
        ? "n=0"
        : string.Create(CultureInfo.InvariantCulture, $"n={Count,6:N0}  p50 {P50,8:F1} ms  p90 {P90,8:F1} ms  p99 {P99,8:F1} ms  max {Max,8:F1} ms");
}
