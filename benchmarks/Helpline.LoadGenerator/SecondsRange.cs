using System.Globalization;

namespace Helpline.LoadGenerator;

/// <summary>A duration drawn uniformly between two bounds, in seconds.</summary>
internal readonly record struct SecondsRange(double Min, double Max)
{
    public const double Limit = 3600;

    public TimeSpan Draw() => TimeSpan.FromSeconds(Min + (Random.Shared.NextDouble() * (Max - Min)));

    public TimeSpan Longest => TimeSpan.FromSeconds(Max);

    /// <summary>Reads <c>MIN-MAX</c> (or a single number for a fixed duration).</summary>
    public static bool TryParse(string text, out SecondsRange range)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('-');
        range = default;
        if (parts.Length > 2
            || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var min)
            || !double.TryParse(parts[^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var max)
            || min < 0 || min > max || max > Limit)
        {
            return false;
        }

        range = new SecondsRange(min, max);
        return true;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Min:0.##}-{Max:0.##} s");
}
