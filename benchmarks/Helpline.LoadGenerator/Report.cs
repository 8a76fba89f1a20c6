namespace Helpline.LoadGenerator;

/// <summary>What the program prints: headings, and aligned label/value lines.</summary>
internal static class Report
{
    private const int LabelWidth = 44;

    public static void Heading(string text) => System.Console.WriteLine($"{Environment.NewLine}== {text}");

    public static void Line(string label, object? value) => System.Console.WriteLine($"  {label.PadRight(LabelWidth - 1)} {value}");

    public static void Counts(Counters counters)
    {
        ArgumentNullException.ThrowIfNull(counters);
        foreach (var (name, count) in counters.All)
        {
            Line(name, count);
        }
    }
}
