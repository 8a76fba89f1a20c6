using System.ComponentModel.DataAnnotations;
using Helpline.Console.Staffing;

namespace Helpline.Console.Reporting;

/// <summary>
/// Section <c>Reporting</c>: the choices the reports make, each with the default docs/reporting.md
/// documents. A report states the choices it was computed with, so no figure can be read without them.
/// </summary>
internal sealed class ReportingOptions : IValidatableObject
{
    public const string Section = "Reporting";

    /// <summary>IANA time zone whose wall clock cuts the intervals (Europe/London: GMT and BST).</summary>
    [Required]
    public string TimeZone { get; set; } = "Europe/London";

    /// <summary>T in SL(T) and SL2(T), seconds, when a request does not give its own.</summary>
    [Range(1, 3600)]
    public int ServiceLevelThresholdSeconds { get; set; } = 20;

    /// <summary>Whether short abandons count in SL2 (as abandoned calls, within T or not). Default: no, as contact centres usually report it.</summary>
    public bool ShortAbandonsInServiceLevel2 { get; set; }

    /// <summary>
    /// Upper bounds (seconds) of the wait-time and abandon-time distributions' buckets; a last bucket
    /// holds the longer waits. Default 10, 20, 30, 60, 120, 300, 600. (Lists are bound without defaults
    /// in the property: the configuration binder would append to them.)
    /// </summary>
    public int[]? WaitBucketsSeconds { get; set; }

    /// <summary>Break reasons reported in columns of their own; any other reason is added to "other reasons". Default lunch, training, debrief, other, missed offers.</summary>
    public string[]? BreakReasons { get; set; }

    public IReadOnlyList<int> WaitBuckets => WaitBucketsSeconds is { Length: > 0 } buckets ? buckets : [10, 20, 30, 60, 120, 300, 600];

    public IReadOnlyList<string> ReportedBreakReasons => BreakReasons is { Length: > 0 } reasons ? reasons : ["lunch", "training", "debrief", "other", "missed offers"];

    /// <summary>The most intervals one report may have (a year of 30-minute intervals is 17,520).</summary>
    [Range(1, 100_000)]
    public int MaxIntervals { get; set; } = 20_000;

    [Required]
    public StaffingSettings Staffing { get; set; } = new();

    public TimeZoneInfo Zone() => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _))
        {
            yield return new ValidationResult($"Unknown time zone '{TimeZone}'.", [nameof(TimeZone)]);
        }

        if (WaitBuckets.Any(b => b <= 0) || WaitBuckets.Zip(WaitBuckets.Skip(1)).Any(p => p.Second <= p.First))
        {
            yield return new ValidationResult("Wait buckets must be positive and increasing.", [nameof(WaitBucketsSeconds)]);
        }

        foreach (var result in Staffing.Validate())
        {
            yield return result;
        }
    }
}

/// <summary>Section <c>Reporting:Staffing</c>: the targets staffing estimates are computed for.</summary>
internal sealed class StaffingSettings
{
    /// <summary>Erlang C target: this share of answered calls answered within the service-level threshold.</summary>
    public double ServiceLevelTarget { get; set; } = 0.8;

    /// <summary>Erlang A target: at most this share of offered calls abandoned.</summary>
    public double MaxAbandonRate { get; set; } = 0.05;

    /// <summary>At most this share of an advisor's available time on calls.</summary>
    public double MaxOccupancy { get; set; } = 0.85;

    /// <summary>The share of scheduled time lost to breaks, training, absence.</summary>
    public double Shrinkage { get; set; } = 0.3;

    /// <summary>The "with N more advisors" steps. Default 1, 2, 3.</summary>
    public int[]? ExtraAdvisors { get; set; }

    public IReadOnlyList<int> ExtraSteps => ExtraAdvisors is { Length: > 0 } steps ? steps : [1, 2, 3];

    public StaffingRules Rules => new(MaxOccupancy, Shrinkage);

    public IEnumerable<ValidationResult> Validate()
    {
        if (ServiceLevelTarget is < 0 or > 1 || MaxAbandonRate is < 0 or > 1)
        {
            yield return new ValidationResult("Staffing targets are shares between 0 and 1.", [nameof(ServiceLevelTarget), nameof(MaxAbandonRate)]);
        }

        if (MaxOccupancy is <= 0 or > 1 || Shrinkage is < 0 or >= 1)
        {
            yield return new ValidationResult("Maximum occupancy must be in (0, 1] and shrinkage in [0, 1).", [nameof(MaxOccupancy), nameof(Shrinkage)]);
        }

        if (ExtraSteps.Any(n => n is < 1 or > 100))
        {
            yield return new ValidationResult("Extra advisors are whole numbers from 1 to 100.", [nameof(ExtraAdvisors)]);
        }
    }
}
