using System.ComponentModel.DataAnnotations;
using Helpline.ServiceDefaults.Retention;

namespace Helpline.Intake.Retention;

/// <summary>
/// Section <c>Retention</c>: how long each kind of Intake's data keeps its personal part (TimeSpan values,
/// <c>days.hh:mm:ss</c>), with how often the job runs and how many rows it changes per transaction
/// (<see cref="RetentionScheduleOptions"/>). The defaults and their reasons: docs/data-protection.md.
/// </summary>
internal sealed class RetentionOptions : RetentionScheduleOptions
{
    /// <summary>Callback numbers (<c>callback_requests</c>), counted from the caller's consent: Intake keeps a number only to place the callback.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan CallbackNumbers { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Stored mail's sender, subject, bodies, Message-ID, References, raw copy and attachments, and sent or failed emails' subject and body, counted from when Intake stored (or released) the message or was asked to send it.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan EmailBodies { get; set; } = TimeSpan.FromDays(365);

    /// <summary>Outbox rows once sent (their payload may carry an encrypted email or name a contact).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan SentOutbox { get; set; } = TimeSpan.FromDays(7);
}
