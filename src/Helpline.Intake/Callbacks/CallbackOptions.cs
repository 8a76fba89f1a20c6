using Helpline.Contracts;
using Helpline.Intake.Calls;

namespace Helpline.Intake.Callbacks;

/// <summary>
/// Section <c>Callbacks</c>: whether callers turned away because the queue is full (Overflow) are offered
/// a callback. The number of a caller who accepts is encrypted with the shared
/// <see cref="Helpline.ServiceDefaults.Security.FieldEncryption"/> (<c>FieldEncryption:Key</c>).
/// </summary>
internal sealed class CallbackOptions
{
    public const string Section = "Callbacks";

    public bool Enabled { get; set; }

    /// <summary>Whether a caller turned away for <paramref name="reason"/> is offered a callback: only on Overflow, only when enabled, never to a withheld number.</summary>
    public bool OfferedFor(InboundCall call, UnansweredReason reason) =>
        Enabled && reason == UnansweredReason.Overflow && call.CallerKey is not null;
}
