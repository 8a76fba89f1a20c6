using System.Globalization;

namespace Helpline.LoadGenerator;

/// <summary>Caller numbers for generated calls. The program never prints or logs them.</summary>
internal static class Callers
{
    /// <summary>
    /// Null (withheld) with the given chance, otherwise a number from Ofcom's range for drama
    /// (+44 7700 900000 to 900999), which is never allocated to a real line.
    /// </summary>
    public static string? Number(double withheldChance) =>
        Random.Shared.NextDouble() < withheldChance
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"+447700900{Random.Shared.Next(1000):D3}");
}
