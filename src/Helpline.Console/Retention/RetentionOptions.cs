using System.ComponentModel.DataAnnotations;
using Helpline.ServiceDefaults.Retention;

namespace Helpline.Console.Retention;

/// <summary>
/// Section <c>Retention</c>: how long each kind of Console's data keeps its personal part (TimeSpan
/// values, <c>days.hh:mm:ss</c>), with how often the job runs and how many rows it changes per transaction
/// (<see cref="RetentionScheduleOptions"/>).
/// The defaults and their reasons: docs/data-protection.md.
/// </summary>
internal sealed class RetentionOptions : RetentionScheduleOptions
{
    /// <summary>Contact records' personal fields (callback number, safe times, email address, notes, outward code) and the contact's caller hash and provider reference, counted from when the contact came in.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan ContactRecords { get; set; } = TimeSpan.FromDays(730);

    /// <summary>Email conversations' sender, subject and bodies, their attachments, quarantined mail and reply drafts.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan EmailBodies { get; set; } = TimeSpan.FromDays(365);

    /// <summary>Outbox rows once sent (their payload may name a contact).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan SentOutbox { get; set; } = TimeSpan.FromDays(7);
}
