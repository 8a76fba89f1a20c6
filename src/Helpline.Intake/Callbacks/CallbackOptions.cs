using System.ComponentModel.DataAnnotations;
using Helpline.Contracts;
using Helpline.Intake.Calls;

namespace Helpline.Intake.Callbacks;

/// <summary>
/// Section <c>Callbacks</c>: whether callers turned away because the queue is full (Overflow) are offered
/// a callback, and the key their number is encrypted with when they accept. With <c>Enabled</c> the key is
/// required and checked at start (base64 of exactly 32 bytes, AES-256); keep it secret and stable (a lost
/// key makes the stored numbers unreadable).
/// </summary>
public sealed class CallbackOptions : IValidatableObject
{
    public const string Section = "Callbacks";

    public bool Enabled { get; set; }

    /// <summary>Base64 of 32 random bytes (<c>openssl rand -base64 32</c>); from the environment or a secret store, never a committed file.</summary>
    public string EncryptionKey { get; set; } = "";

    /// <summary>Whether a caller turned away for <paramref name="reason"/> is offered a callback: only on Overflow, only when enabled, never to a withheld number.</summary>
    public bool OfferedFor(InboundCall call, UnansweredReason reason)
    {
        ArgumentNullException.ThrowIfNull(call);
        return Enabled && reason == UnansweredReason.Overflow && call.CallerKey is not null;
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Enabled && KeyBytes() is null)
        {
            yield return new ValidationResult("With Callbacks:Enabled, Callbacks:EncryptionKey must be base64 of exactly 32 bytes.", [nameof(EncryptionKey)]);
        }
    }

    /// <summary>The key, or null when it is missing or not 32 bytes of base64.</summary>
    public byte[]? KeyBytes()
    {
        var buffer = new byte[33];
        return Convert.TryFromBase64String(EncryptionKey, buffer, out var length) && length == 32 ? buffer[..32] : null;
    }
}
