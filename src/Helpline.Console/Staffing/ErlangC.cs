namespace Helpline.Console.Staffing;

/// <summary>
/// Erlang C (M/M/N, Erlang 1917): callers wait as long as it takes. With traffic A = λ·h and N advisors,
/// the probability of waiting is <c>Pw = N·B / (N − A(1 − B))</c> with B = Erlang B(N, A), the service
/// level <c>SL(T) = 1 − Pw·e^(−(N − A)·T/h)</c> and the mean wait <c>ASA = Pw·h / (N − A)</c>. With
/// N ≤ A the queue grows without end: everyone waits (Pw = 1, SL = 0, no finite ASA). Erlang C ignores
/// callers who give up, so it asks for more advisors than a helpline whose callers hang up needs (see
/// <see cref="ErlangA"/>).
/// </summary>
internal static class ErlangC
{
    /// <summary>More than any helpline could staff; a target needing more is reported as unreachable.</summary>
    public const int MaxAdvisors = 100_000;

    public static double WaitProbability(int advisors, double traffic)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(advisors);
        if (traffic <= 0)
        {
            return 0;
        }

        if (advisors <= traffic)
        {
            return 1;
        }

        var b = ErlangB.Blocking(advisors, traffic);
        return advisors * b / (advisors - traffic * (1 - b));
    }

    /// <summary>The share of answered calls answered within <paramref name="threshold"/> (every call is answered in Erlang C).</summary>
    public static double ServiceLevel(int advisors, CallLoad load, TimeSpan threshold)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, TimeSpan.Zero);
        var traffic = load.Traffic;
        if (traffic <= 0)
        {
            return 1;
        }

        if (advisors <= traffic)
        {
            return 0;
        }

        return 1 - WaitProbability(advisors, traffic) * Math.Exp(-(advisors - traffic) * threshold.TotalSeconds / load.HandleTime.TotalSeconds);
    }

    /// <summary>Mean wait of all calls, in seconds; null when the queue is unstable (N ≤ A).</summary>
    public static double? AverageSpeedOfAnswer(int advisors, CallLoad load)
    {
        var traffic = load.Traffic;
        if (traffic <= 0)
        {
            return 0;
        }

        return advisors <= traffic ? null : WaitProbability(advisors, traffic) * load.HandleTime.TotalSeconds / (advisors - traffic);
    }

    /// <summary>The figures for <paramref name="advisors"/> on the phones.</summary>
    public static ErlangCResult Evaluate(int advisors, CallLoad load, TimeSpan threshold) =>
        new(
            advisors,
            WaitProbability(advisors, load.Traffic),
            ServiceLevel(advisors, load, threshold),
            AverageSpeedOfAnswer(advisors, load),
            advisors == 0 ? (load.Traffic > 0 ? 1 : 0) : Math.Min(1, load.Traffic / advisors));

    /// <summary>
    /// The smallest N &gt; A whose SL(T) reaches <paramref name="serviceLevel"/> and whose occupancy A/N is
    /// within the rules' maximum, and the people to schedule for it (N / (1 − shrinkage), rounded up).
    /// No calls need no advisors. Null when more than <see cref="MaxAdvisors"/> would be needed.
    /// </summary>
    public static StaffingRequirement<ErlangCResult>? Required(CallLoad load, double serviceLevel, TimeSpan threshold, StaffingRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        rules.Validate();
        if (!(serviceLevel >= 0 && serviceLevel <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(serviceLevel), serviceLevel, "The service level target must be between 0 and 1.");
        }

        if (load.Traffic <= 0)
        {
            return new StaffingRequirement<ErlangCResult>(0, 0, Evaluate(0, load, threshold));
        }

        // SL rises with N: start at the first N above A, step up until both targets hold.
        for (var n = (int)Math.Floor(load.Traffic) + 1; n <= MaxAdvisors; n++)
        {
            var result = Evaluate(n, load, threshold);
            if (result.ServiceLevel >= serviceLevel - 1e-12 && rules.AllowsOccupancy(load.Traffic, n))
            {
                return new StaffingRequirement<ErlangCResult>(n, rules.Scheduled(n), result);
            }
        }

        return null;
    }
}

/// <param name="WaitProbability">Pw: the share of calls that wait at all.</param>
/// <param name="ServiceLevel">SL(T): answered within the threshold / answered.</param>
/// <param name="AverageSpeedOfAnswerSeconds">ASA in seconds; null when the queue is unstable.</param>
/// <param name="Occupancy">A/N: the share of the advisors' time on calls (1 when overloaded).</param>
internal sealed record ErlangCResult(int Advisors, double WaitProbability, double ServiceLevel, double? AverageSpeedOfAnswerSeconds, double Occupancy);

/// <summary>Advisors needed on the phones for a target, the people to schedule for them, and the figures they would give.</summary>
internal sealed record StaffingRequirement<T>(int Advisors, int Scheduled, T Figures);
