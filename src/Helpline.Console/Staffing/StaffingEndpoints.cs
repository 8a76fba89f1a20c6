using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Helpline.Console.Staffing;

/// <summary>The what-if calculator: Erlang C and Erlang A for a load a supervisor types in. Pure computation; Supervisor role.</summary>
internal static class StaffingEndpoints
{
    /// <summary>Most advisors the table lists.</summary>
    private const int MaxRows = 60;

    public static Results<Ok<WhatIf>, ValidationProblem> GetWhatIf(
        double? callsPerHour,
        double? handleTimeSeconds,
        double? patienceSeconds,
        int? advisors,
        int? thresholdSeconds,
        double? serviceLevelTarget,
        double? maxAbandonRate,
        double? maxOccupancy,
        double? shrinkage)
    {
        var errors = new Dictionary<string, string[]>();
        void Check(bool ok, string name, string message)
        {
            if (!ok)
            {
                errors[name] = [message];
            }
        }

        Check(callsPerHour is >= 0 and <= 10_000, "callsPerHour", "Calls per hour: a number from 0 to 10,000.");
        Check(handleTimeSeconds is > 0 and <= 86_400, "handleTimeSeconds", "Handle time (talk + wrap-up): seconds, more than 0 and at most a day.");
        Check(patienceSeconds is null or (> 0 and <= 86_400), "patienceSeconds", "Mean patience: seconds, more than 0 and at most a day (leave it out for Erlang C only).");
        Check(advisors is null or (>= 0 and <= 10_000), "advisors", "Advisors: a whole number from 0 to 10,000.");
        Check(thresholdSeconds is null or (>= 1 and <= 3600), "thresholdSeconds", "Threshold: whole seconds from 1 to 3600.");
        Check(serviceLevelTarget is null or (>= 0 and <= 1), "serviceLevelTarget", "Service-level target: a share from 0 to 1 (0.8 for 80%).");
        Check(maxAbandonRate is null or (>= 0 and <= 1), "maxAbandonRate", "Abandonment target: a share from 0 to 1 (0.05 for 5%).");
        Check(maxOccupancy is null or (> 0 and <= 1), "maxOccupancy", "Maximum occupancy: a share more than 0 and at most 1.");
        Check(shrinkage is null or (>= 0 and < 1), "shrinkage", "Shrinkage: a share from 0 to less than 1.");
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The what-if's figures are not valid.");
        }

        var load = new CallLoad(callsPerHour!.Value / 3600, TimeSpan.FromSeconds(handleTimeSeconds!.Value));
        var threshold = TimeSpan.FromSeconds(thresholdSeconds ?? 20);
        var rules = new StaffingRules(maxOccupancy ?? 0.85, shrinkage ?? 0.3);
        var patience = patienceSeconds is { } p ? TimeSpan.FromSeconds(p) : (TimeSpan?)null;
        var slTarget = serviceLevelTarget ?? 0.8;
        var abandonTarget = maxAbandonRate ?? 0.05;
        var erlangC = ErlangC.Required(load, slTarget, threshold, rules);
        var erlangA = patience is { } mean ? ErlangA.Required(load, mean, abandonTarget, threshold, rules) : null;

        var high = Math.Max(advisors ?? 0, Math.Max(erlangC?.Advisors ?? 0, erlangA?.Advisors ?? 0)) + 3;
        var low = Math.Max(0, Math.Min(advisors ?? high, (int)Math.Floor(load.Traffic) - 2));
        low = Math.Max(low, high - MaxRows);
        var table = Enumerable.Range(low, high - low + 1)
            .Select(n => new WhatIfRow(n, ErlangC.Evaluate(n, load, threshold), patience is { } mean ? ErlangA.Evaluate(n, load, mean, threshold) : null))
            .ToList();
        return TypedResults.Ok(new WhatIf(
            load.Traffic,
            string.Create(CultureInfo.InvariantCulture, $"{callsPerHour:0.##} calls an hour of {handleTimeSeconds:0} s each keep {load.Traffic:0.##} advisors busy on average."),
            erlangC,
            erlangA,
            table));
    }
}

/// <param name="Traffic">Offered traffic in erlangs: the advisors that would be busy if every call were answered at once.</param>
/// <param name="ErlangC">Advisors for the service-level target if nobody gave up (null: out of reach).</param>
/// <param name="ErlangA">Advisors for the abandonment target with the given patience (null without a patience).</param>
/// <param name="ByAdvisors">Both models' figures for a range of advisors around the answers.</param>
internal sealed record WhatIf(
    double Traffic,
    string Summary,
    StaffingRequirement<ErlangCResult>? ErlangC,
    StaffingRequirement<ErlangAResult>? ErlangA,
    IReadOnlyList<WhatIfRow> ByAdvisors);

internal sealed record WhatIfRow(int Advisors, ErlangCResult ErlangC, ErlangAResult? ErlangA);
