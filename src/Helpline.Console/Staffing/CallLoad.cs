namespace Helpline.Console.Staffing;

/// <summary>
/// Calls arriving at random (a Poisson stream) at <see cref="ArrivalsPerSecond"/>, each holding an
/// advisor for <see cref="HandleTime"/> on average (talk + wrap-up, exponentially distributed): the
/// load every Erlang model here takes.
/// </summary>
internal readonly record struct CallLoad
{
    public CallLoad(double arrivalsPerSecond, TimeSpan handleTime)
    {
        if (!double.IsFinite(arrivalsPerSecond) || arrivalsPerSecond < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(arrivalsPerSecond), arrivalsPerSecond, "The arrival rate must be a finite rate, zero or more.");
        }

        if (handleTime <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(handleTime), handleTime, "The handle time must be more than zero.");
        }

        ArrivalsPerSecond = arrivalsPerSecond;
        HandleTime = handleTime;
    }

    /// <summary>The load measured over an interval: <paramref name="calls"/> offered in <paramref name="interval"/>.</summary>
    public static CallLoad Measured(long calls, TimeSpan interval, TimeSpan handleTime)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(calls);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        return new CallLoad(calls / interval.TotalSeconds, handleTime);
    }

    public double ArrivalsPerSecond { get; }

    public TimeSpan HandleTime { get; }

    /// <summary>Offered traffic A = λ·h in erlangs: the advisors that would be busy if every call were answered at once.</summary>
    public double Traffic => ArrivalsPerSecond * HandleTime.TotalSeconds;

    /// <summary>μ, calls one advisor completes per second.</summary>
    public double ServiceRate => 1 / HandleTime.TotalSeconds;
}

/// <summary>What the staff is sized for, and how a raw head count becomes people to schedule.</summary>
/// <param name="MaxOccupancy">At most this share of advisors' available time on calls (A/N), in (0, 1].</param>
/// <param name="Shrinkage">The share of scheduled time lost to breaks, training, absence, in [0, 1): scheduled = ⌈N / (1 − shrinkage)⌉.</param>
internal sealed record StaffingRules(double MaxOccupancy = 1, double Shrinkage = 0)
{
    public void Validate()
    {
        if (!(MaxOccupancy > 0 && MaxOccupancy <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(MaxOccupancy), MaxOccupancy, "The maximum occupancy must be more than 0 and at most 1.");
        }

        if (!(Shrinkage >= 0 && Shrinkage < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Shrinkage), Shrinkage, "Shrinkage must be at least 0 and less than 1.");
        }
    }

    /// <summary>People to schedule so that <paramref name="advisors"/> are on the phones after shrinkage.</summary>
    public int Scheduled(int advisors) => (int)Math.Ceiling(Math.Round(advisors / (1 - Shrinkage), 9));

    public bool AllowsOccupancy(double traffic, int advisors) => advisors > 0 && traffic / advisors <= MaxOccupancy + 1e-12;
}
