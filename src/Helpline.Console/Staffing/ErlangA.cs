namespace Helpline.Console.Staffing;

/// <summary>
/// Erlang A (M/M/N+M, Palm 1943): Poisson arrivals at rate λ, exponential handle times (rate μ = 1/h),
/// N advisors, and callers whose patience is exponential with mean 1/θ: a caller still waiting when
/// their patience runs out hangs up. Unlike Erlang C it is stable at any load, and gives the share of
/// callers who abandon, which is what a helpline with long waits has to staff for.
/// </summary>
/// <remarks>
/// <para>
/// Method: the closed forms of Garnett, Mandelbaum and Reiman, "Designing a call center with impatient
/// customers", Manufacturing &amp; Service Operations Management 4(3), 2002, pp. 208–227 (also in
/// Mandelbaum and Zeltyn, "The Palm/Erlang-A queue, with applications to call centers", Technion, 2007).
/// With E = Erlang B(N, A), x = Nμ/θ, y = λ/θ, ρ = A/N and their function
/// <c>A(x, y) = 1 + Σ_{j≥1} y^j / Π_{k=1..j} (x + k)</c> (a series of positive terms, summed here in
/// log space so that neither large loads nor patient callers overflow it):
/// </para>
/// <list type="bullet">
/// <item><c>P(wait) = A(x,y)·E / (1 + (A(x,y) − 1)·E)</c></item>
/// <item><c>P(abandon | wait) = 1/(ρ·A(x,y)) + 1 − 1/ρ</c>, computed as <c>1 − (A(x,y) − 1)/(ρ·A(x,y))</c></item>
/// </list>
/// <para>
/// Service level and ASA come from the same model's offered wait V (the wait a caller with infinite
/// patience would have), whose density for v &gt; 0 is
/// <c>f(v) = (Nμ·P(wait)/A(x,y))·exp(y(1 − e^(−θv)) − Nμv)</c> (Baccelli and Hébuterne 1981; GMR §3); a
/// caller is answered within T when V ≤ T and their patience outlasts V:
/// <c>P(answered within T) = 1 − P(wait) + ∫₀ᵀ f(v)·e^(−θv) dv</c>. That integral, and the one for ASA,
/// are taken numerically (adaptive Simpson on the log-concave integrand, scaled by its peak); the
/// tests check them against the closed forms where these exist (T → ∞, θ → 0, θ = μ) and against a
/// simulation.
/// </para>
/// </remarks>
internal static class ErlangA
{
    /// <summary>Relative size below which a term or a tail no longer matters (e^−40 ≈ 4·10⁻¹⁸).</summary>
    private const double Negligible = -40;

    public static ErlangAResult Evaluate(int advisors, CallLoad load, TimeSpan patience, TimeSpan threshold)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(advisors);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(patience, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, TimeSpan.Zero);
        var lambda = load.ArrivalsPerSecond;
        if (lambda == 0)
        {
            return new ErlangAResult(advisors, 0, 0, 0, null, null, 0);
        }

        if (advisors == 0)
        {
            return new ErlangAResult(0, 1, 1, 0, null, null, 0);
        }

        var queue = new Queue(advisors, lambda, load.ServiceRate, 1 / patience.TotalSeconds);
        var answered = Math.Max(0, 1 - queue.AbandonProbability);
        var answeredWithin = 1 - queue.WaitProbability + queue.ServedWithin(threshold.TotalSeconds);
        var asa = answered > 0 ? queue.ServedWait() / answered : (double?)null;
        return new ErlangAResult(
            advisors,
            queue.WaitProbability,
            queue.AbandonProbability,
            answeredWithin,
            answered > 0 ? Math.Min(1, answeredWithin / answered) : null,
            asa,
            Math.Min(1, load.Traffic * answered / advisors));
    }

    /// <summary>The share of callers who abandon with <paramref name="advisors"/>: the closed form alone, without the integrals that service level and ASA need.</summary>
    public static double AbandonProbability(int advisors, CallLoad load, TimeSpan patience)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(advisors);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(patience, TimeSpan.Zero);
        if (load.ArrivalsPerSecond == 0)
        {
            return 0;
        }

        return advisors == 0 ? 1 : new Queue(advisors, load.ArrivalsPerSecond, load.ServiceRate, 1 / patience.TotalSeconds).AbandonProbability;
    }

    /// <summary>
    /// The smallest N whose abandonment rate is at most <paramref name="maxAbandonRate"/> and whose
    /// occupancy (answered traffic / N) is within the rules, and the people to schedule for it. No calls
    /// need no advisors. Null when more than <see cref="ErlangC.MaxAdvisors"/> would be needed.
    /// </summary>
    public static StaffingRequirement<ErlangAResult>? Required(CallLoad load, TimeSpan patience, double maxAbandonRate, TimeSpan threshold, StaffingRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        rules.Validate();
        if (!(maxAbandonRate >= 0 && maxAbandonRate <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(maxAbandonRate), maxAbandonRate, "The abandonment target must be between 0 and 1.");
        }

        if (load.Traffic <= 0)
        {
            return new StaffingRequirement<ErlangAResult>(0, 0, Evaluate(0, load, patience, threshold));
        }

        // The abandonment rate falls as N rises; a few advisors fewer than A can already meet a loose target.
        for (var n = 1; n <= ErlangC.MaxAdvisors; n++)
        {
            var abandon = AbandonProbability(n, load, patience);
            var occupancy = load.Traffic * (1 - abandon) / n;
            if (abandon <= maxAbandonRate + 1e-12 && occupancy <= rules.MaxOccupancy + 1e-12)
            {
                return new StaffingRequirement<ErlangAResult>(n, rules.Scheduled(n), Evaluate(n, load, patience, threshold));
            }
        }

        return null;
    }

    /// <summary>The M/M/N+M queue for N ≥ 1 and λ &gt; 0, with the closed-form probabilities worked out once.</summary>
    private sealed class Queue
    {
        private readonly double _theta;
        private readonly double _serving;
        private readonly double _y;

        /// <summary>ln(Nμ·P(wait)/A(x,y)): the offered wait's density at 0⁺.</summary>
        private readonly double _logDensityScale;

        public Queue(int advisors, double lambda, double mu, double theta)
        {
            _theta = theta;
            _serving = advisors * mu;
            _y = lambda / theta;
            var x = _serving / theta;
            var rho = lambda / _serving;

            var logSeriesTail = LogSeriesTail(x, _y);
            var logSeries = LogAddExp(0, logSeriesTail);
            var logBlocking = Math.Log(ErlangB.Blocking(advisors, lambda / mu));
            var logWait = logSeries + logBlocking - LogAddExp(0, logSeriesTail + logBlocking);
            WaitProbability = Math.Exp(logWait);
            var abandonGivenWait = Math.Clamp(1 - (Math.Exp(logSeriesTail - logSeries) / rho), 0, 1);
            AbandonProbability = WaitProbability * abandonGivenWait;
            _logDensityScale = Math.Log(_serving) + logWait - logSeries;
        }

        public double WaitProbability { get; }

        public double AbandonProbability { get; }

        /// <summary>∫₀ᵗ f(v)·e^(−θv) dv: the share of callers who waited and were answered within <paramref name="t"/> seconds.</summary>
        public double ServedWithin(double t) =>
            t <= 0 ? 0 : Math.Exp(_logDensityScale + LogIntegral(LogServed, 0, t));

        /// <summary>∫₀^∞ v·f(v)·e^(−θv) dv: the total wait of answered callers, per caller offered.</summary>
        public double ServedWait() =>
            Math.Exp(_logDensityScale + LogIntegral(v => v > 0 ? Math.Log(v) + LogServed(v) : double.NegativeInfinity, 0, double.PositiveInfinity));

        /// <summary>ln of f(v)·e^(−θv) without its constant: y(1 − e^(−θv)) − (Nμ + θ)v, concave in v.</summary>
        private double LogServed(double v) => (_y * -double.ExpM1(-_theta * v)) - ((_serving + _theta) * v);

        /// <summary>ln ∫ e^(g(v)) dv over [from, to] for a concave g: scaled by its peak, cut where it is negligible, then adaptive Simpson.</summary>
        private static double LogIntegral(Func<double, double> g, double from, double to)
        {
            var peak = Peak(g, from, to);
            var top = g(peak);
            var left = Reach(g, top, peak, from, -1);
            var right = Reach(g, top, peak, to, +1);
            double f(double v) => Math.Exp(g(v) - top);

            const int Panels = 16;
            var pieces = new List<(double A, double B)>();
            foreach (var (a, b) in new[] { (left, peak), (peak, right) })
            {
                if (b > a)
                {
                    for (var i = 0; i < Panels; i++)
                    {
                        pieces.Add((a + ((b - a) * i / Panels), a + ((b - a) * (i + 1) / Panels)));
                    }
                }
            }

            if (pieces.Count == 0)
            {
                return double.NegativeInfinity;
            }

            var coarse = pieces.Sum(p => Simpson(f, p.A, p.B));
            var tolerance = Math.Max(coarse, double.Epsilon) * 1e-12 / pieces.Count;
            var total = pieces.Sum(p => Adaptive(f, p.A, p.B, f(p.A), f((p.A + p.B) / 2), f(p.B), Simpson(f, p.A, p.B), tolerance, 40));
            return total > 0 ? top + Math.Log(total) : double.NegativeInfinity;
        }

        /// <summary>Where a concave g is highest on [from, to] (bisection on the sign of its slope).</summary>
        private static double Peak(Func<double, double> g, double from, double to)
        {
            const double Step = 1e-6;
            var hi = double.IsPositiveInfinity(to) ? Math.Max(1, from) : to;
            if (double.IsPositiveInfinity(to))
            {
                while (g(hi + Step) > g(hi))
                {
                    hi *= 2;
                }
            }
            else if (g(hi) >= g(hi - Step))
            {
                return hi;
            }

            var lo = from;
            for (var i = 0; i < 200 && hi - lo > 1e-9 * Math.Max(1, hi); i++)
            {
                var mid = (lo + hi) / 2;
                if (g(mid + Step) > g(mid))
                {
                    lo = mid;
                }
                else
                {
                    hi = mid;
                }
            }

            return (lo + hi) / 2;
        }

        /// <summary>From the peak towards <paramref name="limit"/>, the first point where e^g is negligible beside the peak (or the limit).</summary>
        private static double Reach(Func<double, double> g, double top, double peak, double limit, int direction)
        {
            var step = Math.Max(1e-3, Math.Abs(peak) * 1e-3);
            while (true)
            {
                var at = peak + (direction * step);
                if ((direction < 0 && at <= limit) || (direction > 0 && at >= limit))
                {
                    return limit;
                }

                if (g(at) - top < Negligible)
                {
                    return at;
                }

                step *= 2;
            }
        }

        private static double Simpson(Func<double, double> f, double a, double b) => (b - a) / 6 * (f(a) + (4 * f((a + b) / 2)) + f(b));

        private static double Adaptive(Func<double, double> f, double a, double b, double fa, double fm, double fb, double whole, double tolerance, int depth)
        {
            var m = (a + b) / 2;
            var lm = (a + m) / 2;
            var rm = (m + b) / 2;
            var flm = f(lm);
            var frm = f(rm);
            var left = (m - a) / 6 * (fa + (4 * flm) + fm);
            var right = (b - m) / 6 * (fm + (4 * frm) + fb);
            var delta = left + right - whole;
            if (depth <= 0 || Math.Abs(delta) <= 15 * tolerance)
            {
                return left + right + (delta / 15);
            }

            return Adaptive(f, a, m, fa, flm, fm, left, tolerance / 2, depth - 1) + Adaptive(f, m, b, fm, frm, fb, right, tolerance / 2, depth - 1);
        }

        /// <summary>ln(A(x, y) − 1) = ln Σ_{j≥1} Π_{k=1..j} y/(x + k), summed in log space (−∞ for y = 0).</summary>
        private static double LogSeriesTail(double x, double y)
        {
            var logY = Math.Log(y);
            var term = 0.0;
            var max = double.NegativeInfinity;
            var sum = 0.0;
            for (var j = 1; ; j++)
            {
                term += logY - Math.Log(x + j);
                if (term > max)
                {
                    sum = (sum * Math.Exp(max - term)) + 1;
                    max = term;
                }
                else
                {
                    sum += Math.Exp(term - max);
                }

                if (x + j >= y && term - max < Negligible)
                {
                    return max + Math.Log(sum);
                }
            }
        }

        private static double LogAddExp(double a, double b)
        {
            if (double.IsNegativeInfinity(a))
            {
                return b;
            }

            if (double.IsNegativeInfinity(b))
            {
                return a;
            }

            var max = Math.Max(a, b);
            return max + Math.Log(Math.Exp(a - max) + Math.Exp(b - max));
        }
    }
}

/// <param name="WaitProbability">The share of callers who wait at all.</param>
/// <param name="AbandonProbability">The share of callers who hang up before they are answered.</param>
/// <param name="AnsweredWithinThreshold">The share of all callers answered within the threshold.</param>
/// <param name="ServiceLevel">SL(T): answered within the threshold / answered; null when nobody is answered.</param>
/// <param name="AverageSpeedOfAnswerSeconds">Mean wait of answered callers, in seconds; null when nobody is answered.</param>
/// <param name="Occupancy">Answered traffic / N: the share of the advisors' time on calls.</param>
internal sealed record ErlangAResult(
    int Advisors,
    double WaitProbability,
    double AbandonProbability,
    double AnsweredWithinThreshold,
    double? ServiceLevel,
    double? AverageSpeedOfAnswerSeconds,
    double Occupancy);
