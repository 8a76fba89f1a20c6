using System.Diagnostics;

namespace Helpline.LoadGenerator;

/// <summary>
/// Starts work at planned offsets from one origin, so a late start does not push back the ones
/// after it: the offered load stays what was asked for even when the system under test slows down.
/// </summary>
internal sealed class Pacer
{
    private readonly long _origin = Stopwatch.GetTimestamp();

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_origin);

    public Task WaitUntilAsync(TimeSpan offset, CancellationToken cancellationToken)
    {
        var wait = offset - Elapsed;
        return wait > TimeSpan.Zero ? Task.Delay(wait, cancellationToken) : Task.CompletedTask;
    }

    /// <summary>The offset of the <paramref name="index"/>th start at a fixed rate.</summary>
    public static TimeSpan AtRate(int index, double perSecond) => TimeSpan.FromSeconds(index / perSecond);
}
