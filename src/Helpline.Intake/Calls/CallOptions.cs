using System.ComponentModel.DataAnnotations;

namespace Helpline.Intake.Calls;

/// <summary>Section <c>Calls</c>: how Intake judges what happened to a call.</summary>
internal sealed class CallOptions
{
    public const string Section = "Calls";

    /// <summary>
    /// A caller hanging up at most this long after the call arrived is a short abandon: still unanswered,
    /// but flagged so reports can count it apart (docs/domain.md's example, 5 s, is the default).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan ShortAbandonThreshold { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>At most this many new calls are stored in one transaction (group commit: <see cref="NewCallWriter"/>).</summary>
    [Range(1, 10_000)]
    public int MaxCallsPerCommit { get; set; } = 256;

    /// <summary>At most this many transactions of new calls run side by side; more calls wait for the next commit.</summary>
    [Range(1, 64)]
    public int ConcurrentCommits { get; set; } = 2;
}
