using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using Helpline.Contracts;
using Microsoft.Extensions.Options;

namespace Helpline.Intake.Calls;

internal sealed class CallerIdentityOptions
{
    public const string Section = "CallerIdentity";

    /// <summary>Base64 HMAC key (at least 32 bytes) for caller keys. Keep it secret and stable: changing it breaks repeat-caller matching.</summary>
    [Required]
    [MinLength(44)]
    public string HashKey { get; set; } = "";
}

/// <summary>
/// Turns a caller's number into a keyed hash (HMAC-SHA256), so repeat callers can be recognised
/// without the number ever leaving Intake or being stored in clear.
/// </summary>
internal sealed class CallerKeyHasher(IOptions<CallerIdentityOptions> options)
{
    private readonly byte[] _key = Convert.FromBase64String(options.Value.HashKey);

    /// <summary>The caller's key; null for a withheld number.</summary>
    public string? KeyFor(PhoneNumber? number) => number is { Value: var value } ? KeyFor(value) : null;

    /// <summary>The key of any other identifier of a sender (an email address, a Message-ID).</summary>
    public string KeyFor(string value) => Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(value)));
}
