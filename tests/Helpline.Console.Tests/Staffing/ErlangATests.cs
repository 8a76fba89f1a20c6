using Helpline.Console.Staffing;

namespace Helpline.Console.Tests.Staffing;

public sealed class ErlangATests
{
    private static readonly TimeSpan Twenty = TimeSpan.FromSeconds(20);

    public static TheoryData<int, double, double, double> Queues => new()
    {
        // advisors, traffic (erlangs), handle time (s), mean patience (s)
        { 1, 0.5, 300, 120 },
        { 5, 4, 300, 120 },
        { 5, 6, 300, 120 },
        { 10, 14, 600, 60 },
        { 20, 18, 240, 600 },
        { 3, 9, 420, 45 },
    };

    /// <summary>
    /// Independent implementation: the birth–death chain of M/M/N+M (Palm 1943) summed directly, state by
    /// state — πⱼ ∝ Aʲ/j! up to N, then × λ/(Nμ + kθ) for the k-th caller waiting — with P(wait) = Σ_{j≥N} πⱼ
    /// (arrivals see time averages) and P(abandon) = θ·E[waiting]/λ (Little). The same construction as the
    /// Extended Erlang C of Herzog's queuesim (A-Herzog/QueueSim, queuesim/analytic/erlang_c_ext.py).
    /// </summary>
    [Theory]
    [MemberData(nameof(Queues))]
    public void Wait_and_abandonment_equal_the_birth_death_chain(int advisors, double traffic, double handle, double patience)
    {
        var (wait, abandon) = Chain(advisors, traffic / handle, 1 / handle, 1 / patience);

        var result = ErlangA.Evaluate(advisors, new CallLoad(traffic / handle, TimeSpan.FromSeconds(handle)), TimeSpan.FromSeconds(patience), Twenty);

        Assert.Equal(wait, result.WaitProbability, 10);
        Assert.Equal(abandon, result.AbandonProbability, 10);
    }

    /// <summary>
    /// Independent check by hand: when patience equals handle time (θ = μ) every caller leaves at the same
    /// rate whether waiting or served, so the number in the system is Poisson(A) (the M/M/∞ queue): P(wait)
    /// = P(L ≥ N) and P(abandon) = E[(L − N)⁺]/A.
    /// </summary>
    [Theory]
    [InlineData(4, 3.0)]
    [InlineData(8, 11.0)]
    public void Patience_equal_to_handle_time_gives_the_Poisson_system(int advisors, double traffic)
    {
        const double Handle = 300;
        var pmf = 1.0 * Math.Exp(-traffic);
        var atLeastN = 1.0;
        var excess = 0.0;
        for (var j = 0; j < 400; j++)
        {
            if (j < advisors)
            {
                atLeastN -= pmf;
            }
            else
            {
                excess += (j - advisors) * pmf;
            }

            pmf = pmf * traffic / (j + 1);
        }

        var result = ErlangA.Evaluate(advisors, new CallLoad(traffic / Handle, TimeSpan.FromSeconds(Handle)), TimeSpan.FromSeconds(Handle), Twenty);

        Assert.Equal(atLeastN, result.WaitProbability, 10);
        Assert.Equal(excess / traffic, result.AbandonProbability, 10);
    }

    /// <summary>Callers who never give up make Erlang A into Erlang C (GMR 2002: Erlang C is the θ → 0 limit).</summary>
    [Theory]
    [InlineData(12, 10.0)]
    [InlineData(3, 1.2)]
    public void Very_patient_callers_give_Erlang_C(int advisors, double traffic)
    {
        var load = new CallLoad(traffic / 180, TimeSpan.FromSeconds(180));

        var a = ErlangA.Evaluate(advisors, load, TimeSpan.FromDays(3000), Twenty);
        var c = ErlangC.Evaluate(advisors, load, Twenty);

        Assert.Equal(c.WaitProbability, a.WaitProbability, 4);
        Assert.Equal(c.ServiceLevel, a.ServiceLevel!.Value, 4);
        Assert.Equal(c.AverageSpeedOfAnswerSeconds!.Value, a.AverageSpeedOfAnswerSeconds!.Value, 1);
        Assert.True(a.AbandonProbability < 1e-4);
    }

    [Theory]
    [MemberData(nameof(Queues))]
    public void Over_a_long_enough_threshold_everyone_answered_was_answered_within_it(int advisors, double traffic, double handle, double patience)
    {
        var result = ErlangA.Evaluate(advisors, new CallLoad(traffic / handle, TimeSpan.FromSeconds(handle)), TimeSpan.FromSeconds(patience), TimeSpan.FromDays(30));

        Assert.Equal(1 - result.AbandonProbability, result.AnsweredWithinThreshold, 9);
        Assert.Equal(1, result.ServiceLevel!.Value, 9);
    }

    /// <summary>
    /// Independent implementation: a discrete-event simulation of the M/M/N+M queue (first come, first served,
    /// exponential arrivals, handle times and patience; seeded), 600,000 callers. Service level, ASA and the
    /// abandonment rate agree with the model within the simulation's sampling error.
    /// </summary>
    [Theory]
    [InlineData(5, 4.0, 300, 120, 20)]
    [InlineData(5, 6.0, 300, 120, 60)]
    [InlineData(2, 2.5, 240, 200, 30)]
    public void Service_level_ASA_and_abandonment_agree_with_a_simulation(int advisors, double traffic, double handle, double patience, double threshold)
    {
        var simulated = Simulate(advisors, traffic / handle, handle, patience, threshold, callers: 600_000, seed: 11);

        var model = ErlangA.Evaluate(advisors, new CallLoad(traffic / handle, TimeSpan.FromSeconds(handle)), TimeSpan.FromSeconds(patience), TimeSpan.FromSeconds(threshold));

        Assert.InRange(simulated.Abandoned - model.AbandonProbability, -0.006, 0.006);
        Assert.InRange(simulated.ServiceLevel - model.ServiceLevel!.Value, -0.006, 0.006);
        Assert.InRange(simulated.Asa / model.AverageSpeedOfAnswerSeconds!.Value, 0.97, 1.03);
    }

    [Fact]
    public void Without_advisors_every_caller_abandons_and_without_calls_nobody_waits()
    {
        var load = new CallLoad(0.01, TimeSpan.FromMinutes(5));

        var none = ErlangA.Evaluate(0, load, TimeSpan.FromMinutes(2), Twenty);
        var quiet = ErlangA.Evaluate(3, new CallLoad(0, TimeSpan.FromMinutes(5)), TimeSpan.FromMinutes(2), Twenty);

        Assert.Equal(1, none.AbandonProbability);
        Assert.Null(none.ServiceLevel);
        Assert.Equal(0, quiet.WaitProbability);
        Assert.Equal(0, quiet.AbandonProbability);
    }

    [Fact]
    public void Heavy_overload_with_patient_callers_stays_finite()
    {
        var result = ErlangA.Evaluate(10, new CallLoad(50.0 / 600, TimeSpan.FromSeconds(600)), TimeSpan.FromHours(2), Twenty);

        Assert.InRange(result.WaitProbability, 0.999, 1);
        Assert.Equal(0.8, result.AbandonProbability, 2);
        Assert.True(double.IsFinite(result.AverageSpeedOfAnswerSeconds!.Value));
    }

    /// <summary>The fewest advisors that keep abandonment at or under the target; one fewer misses it.</summary>
    [Fact]
    public void Required_advisors_are_the_fewest_that_meet_the_abandonment_target()
    {
        var load = CallLoad.Measured(40, TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(8));
        var patience = TimeSpan.FromSeconds(90);

        var required = ErlangA.Required(load, patience, 0.05, Twenty, new StaffingRules(Shrinkage: 0.25));

        Assert.NotNull(required);
        Assert.True(required.Figures.AbandonProbability <= 0.05);
        Assert.True(ErlangA.Evaluate(required.Advisors - 1, load, patience, Twenty).AbandonProbability > 0.05);
        Assert.Equal((int)Math.Ceiling(required.Advisors / 0.75), required.Scheduled);
    }

    private static (double Wait, double Abandon) Chain(int n, double lambda, double mu, double theta)
    {
        var weights = new List<double> { 1 };
        for (var j = 1; j < 20_000; j++)
        {
            var leaving = j <= n ? j * mu : (n * mu) + ((j - n) * theta);
            weights.Add(weights[^1] * lambda / leaving);
            if (j > n && weights[^1] < 1e-300)
            {
                break;
            }
        }

        var total = weights.Sum();
        var wait = weights.Skip(n).Sum() / total;
        var queued = weights.Select((w, j) => Math.Max(0, j - n) * w).Sum() / total;
        return (wait, theta * queued / lambda);
    }

    private static (double Abandoned, double ServiceLevel, double Asa) Simulate(int n, double lambda, double handle, double patience, double threshold, int callers, int seed)
    {
        var random = new Random(seed);
        double Exp(double mean) => -mean * Math.Log(1 - random.NextDouble());

        var completions = new PriorityQueue<double, double>();
        var waiting = new Queue<(double Arrived, double GivesUp)>();
        var busy = 0;
        var now = 0.0;
        long abandoned = 0, answered = 0, within = 0;
        var waited = 0.0;
        var warmUp = callers / 50;

        void Answer(double arrived, double at, int index)
        {
            var end = at + Exp(handle);
            completions.Enqueue(end, end);
            if (index >= warmUp)
            {
                answered++;
                waited += at - arrived;
                within += at - arrived <= threshold ? 1 : 0;
            }
        }

        var indexes = new Queue<int>();
        for (var i = 0; i < callers; i++)
        {
            now += Exp(1 / lambda);
            while (completions.TryPeek(out var done, out _) && done <= now)
            {
                completions.Dequeue();
                busy--;
                while (waiting.Count > 0)
                {
                    var next = waiting.Dequeue();
                    var index = indexes.Dequeue();
                    if (next.GivesUp <= done)
                    {
                        abandoned += index >= warmUp ? 1 : 0;
                        continue;
                    }

                    busy++;
                    Answer(next.Arrived, done, index);
                    break;
                }
            }

            if (busy < n)
            {
                busy++;
                Answer(now, now, i);
            }
            else
            {
                waiting.Enqueue((now, now + Exp(patience)));
                indexes.Enqueue(i);
            }
        }

        var counted = answered + abandoned;
        return ((double)abandoned / counted, (double)within / answered, waited / answered);
    }
}
