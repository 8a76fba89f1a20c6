namespace Helpline.Intake.Callbacks;

/// <summary>
/// Section <c>Callbacks</c>: whether callers turned away because the queue is full (Overflow) are offered
/// a callback (<see cref="Calls.CallRules.OffersCallback"/>). The number of a caller who accepts is encrypted with the shared
/// <see cref="Helpline.ServiceDefaults.Security.FieldEncryption"/> (<c>FieldEncryption:Key</c>).
/// </summary>
internal sealed class CallbackOptions
{
    public const string Section = "Callbacks";

    public bool Enabled { get; set; }
}
