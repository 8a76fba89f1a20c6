using System.ComponentModel.DataAnnotations;

namespace Helpline.Console.Retention;

/// <summary>
/// Section <c>Retention</c>: how long each kind of Console's data keeps its personal part (TimeSpan
/// values, <c>days.hh:mm:ss</c>), how often the job runs and how many rows it changes per transaction.
/// The defaults and their reasons: docs/data-protection.md.
/// </summary>
internal sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>Contact records' personal fields (callback number, safe times, email address, notes, outward code) and the contact's caller hash and provider reference, counted from when the contact came in.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan ContactRecords { get; set; } = TimeSpan.FromDays(730);

    /// <summary>Email conversations' sender, subject and bodies, their attachments, quarantined mail and reply drafts.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan EmailBodies { get; set; } = TimeSpan.FromDays(365);

    /// <summary>Outbox rows once sent (their payload may name a contact).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan SentOutbox { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often the job runs (the first run one interval after start).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Rows changed per transaction, so no run holds long locks.</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 1_000;
}
