using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Helpline.ServiceDefaults.Security;

/// <summary>What a value is, which decides the key that encrypts it (<see cref="FieldEncryptionOptions"/>).</summary>
public enum FieldPurpose
{
    /// <summary>What Intake handles too: callback numbers, emails in both directions (Intake is the mail gateway). Active key <c>FieldEncryption:ActiveKey</c>.</summary>
    Shared,

    /// <summary>What only Console reads: contact records, referrals, caller-flag reasons, reply drafts, its Data Protection keys. Active key <c>FieldEncryption:RecordsKey</c>.</summary>
    Records,
}

/// <summary>
/// The key ring that encrypts personal data at rest (section <c>FieldEncryption</c>): keys by id, one
/// active key per <see cref="FieldPurpose"/>, and older keys kept to read what was written with them until
/// the rotation command has re-encrypted it. A service holds only the keys it needs: Intake holds the
/// shared keys and no records key, so it cannot read a contact record.
/// </summary>
public sealed partial class FieldEncryptionOptions
{
    public const string Section = "FieldEncryption";

    /// <summary>The id of <see cref="Key"/>, the single key of the configuration before the ring.</summary>
    public const string LegacyKeyId = "0";

    /// <summary>A key on its own (the configuration before the ring): the key with id <c>0</c>. Base64 of exactly 32 random bytes (AES-256).</summary>
    public string? Key { get; set; }

    /// <summary>The ring: key id (1 to 32 lower-case letters and digits) to base64 of 32 random bytes.</summary>
    public Dictionary<string, string> Keys { get; set; } = [];

    /// <summary>The key new <see cref="FieldPurpose.Shared"/> values are encrypted with; by default <c>0</c> when <see cref="Key"/> is set, or the ring's only key.</summary>
    public string? ActiveKey { get; set; }

    /// <summary>The key new <see cref="FieldPurpose.Records"/> values are encrypted with (Console only); by default the active key.</summary>
    public string? RecordsKey { get; set; }

    /// <summary>The key Console's audit chain key is derived from; by default <c>0</c>. It stays in Console's ring while the chain is kept.</summary>
    public string? AuditChainKey { get; set; }

    /// <summary>Every key of the ring by id, <see cref="Key"/> as <c>0</c>.</summary>
    public IReadOnlyDictionary<string, string> Ring()
    {
        var ring = new Dictionary<string, string>(Keys, StringComparer.Ordinal);
        if (!string.IsNullOrWhiteSpace(Key))
        {
            ring[LegacyKeyId] = Key;
        }

        return ring;
    }

    public string? ActiveKeyId => ActiveKey is { Length: > 0 } id ? id
        : !string.IsNullOrWhiteSpace(Key) ? LegacyKeyId
        : Keys.Count == 1 ? Keys.Keys.Single()
        : null;

    public string? RecordsKeyId => RecordsKey is { Length: > 0 } id ? id : ActiveKeyId;

    public string AuditChainKeyId => AuditChainKey is { Length: > 0 } id ? id : LegacyKeyId;

    /// <summary>Why the ring cannot be used, or null when it can (secret quality is <see cref="SecretKeys"/>' rule).</summary>
    public string? Problem()
    {
        if (!string.IsNullOrWhiteSpace(Key) && Keys.ContainsKey(LegacyKeyId))
        {
            return $"{Section}:Key and {Section}:Keys:{LegacyKeyId} are the same key id: set one";
        }

        var ring = Ring();
        if (ring.Count == 0)
        {
            return $"{Section}:Key is missing (or {Section}:Keys with {Section}:ActiveKey)";
        }

        foreach (var (id, key) in ring)
        {
            if (!KeyId().IsMatch(id))
            {
                return $"{Section}:Keys:{id}: a key id is 1 to 32 lower-case letters and digits";
            }

            if (FieldEncryption.ParseKey(key) is null)
            {
                return $"{Name(id)} must be the base64 of 32 random bytes (for example: head -c 32 /dev/urandom | base64)";
            }
        }

        return ActiveKeyId is not { } active ? $"{Section}:ActiveKey is missing: the ring has several keys"
            : !ring.ContainsKey(active) ? $"{Section}:ActiveKey '{active}' is not in {Section}:Keys"
            : !ring.ContainsKey(RecordsKeyId!) ? $"{Section}:RecordsKey '{RecordsKeyId}' is not in {Section}:Keys"
            : null;
    }

    /// <summary>The setting a key of the ring comes from, for messages.</summary>
    public static string Name(string id) => id == LegacyKeyId ? $"{Section}:Key" : $"{Section}:Keys:{id}";

    [GeneratedRegex("^[a-z0-9]{1,32}$")]
    private static partial Regex KeyId();
}

/// <summary>
/// Encrypts a value (a caller's number, an email address, an advisor's notes) with AES-256-GCM
/// before it is stored. Each value gets a fresh 12-byte nonce; the stored text is
/// <c>v2:</c> + key id + <c>:</c> + base64(nonce | tag | ciphertext). Values written before the ring
/// (<c>v1:</c> + base64, no key id) are still read, with whichever key of the ring opens them; the
/// rotation command rewrites them. The associated data binds a value to its row and column, so a
/// ciphertext copied into another row does not decrypt.
/// </summary>
public sealed class FieldEncryption
{
    private const string LegacyPrefix = "v1:";
    private const string Prefix = "v2:";
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly Dictionary<string, byte[]> _keys;
    private readonly string _activeKeyId;
    private readonly string? _recordsKeyId;

    public FieldEncryption(IOptions<FieldEncryptionOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = options.Value;
        if (value.Problem() is { } problem)
        {
            throw new InvalidOperationException(problem + ".");
        }

        _keys = value.Ring().ToDictionary(k => k.Key, k => ParseKey(k.Value)!, StringComparer.Ordinal);
        _activeKeyId = value.ActiveKeyId!;
        _recordsKeyId = value.RecordsKeyId;
        AuditChainKeyId = value.AuditChainKeyId;
    }

    /// <summary>The ring key the audit chain's key is derived from.</summary>
    public string AuditChainKeyId { get; }

    public static byte[]? ParseKey(string? key)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            return null;
        }

        var bytes = new byte[32];
        return Convert.TryFromBase64String(key.Trim(), bytes, out var written) && written == 32 && key.Trim().Length == 44 ? bytes : null;
    }

    /// <summary>A key derived (HKDF-SHA256) from a key of the ring, for another use than encryption (the audit chain's HMAC).</summary>
    /// <exception cref="InvalidOperationException">The ring has no key <paramref name="keyId"/>.</exception>
    public byte[] DeriveKey(string keyId, string info) =>
        _keys.TryGetValue(keyId, out var key)
            ? HKDF.DeriveKey(HashAlgorithmName.SHA256, key, 32, info: Encoding.UTF8.GetBytes(info))
            : throw new InvalidOperationException($"{FieldEncryptionOptions.Name(keyId)} is not in this service's key ring.");

    /// <summary>The id of the key new values of <paramref name="purpose"/> are encrypted with.</summary>
    public string ActiveKeyId(FieldPurpose purpose) => purpose == FieldPurpose.Shared ? _activeKeyId : _recordsKeyId!;

    /// <summary>Whether <paramref name="stored"/> is already encrypted with the active key of <paramref name="purpose"/> (nothing for the rotation to do).</summary>
    public bool IsCurrent(string stored, FieldPurpose purpose)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return stored.StartsWith($"{Prefix}{ActiveKeyId(purpose)}:", StringComparison.Ordinal);
    }

    public string Encrypt(string plaintext, string associatedData, FieldPurpose purpose)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        return EncryptBytes(Encoding.UTF8.GetBytes(plaintext), associatedData, purpose);
    }

    /// <summary>Encrypts binary data (an email attachment) into the same text format as <see cref="Encrypt"/>.</summary>
    public string EncryptBytes(ReadOnlySpan<byte> data, string associatedData, FieldPurpose purpose)
    {
        ArgumentNullException.ThrowIfNull(associatedData);
        var keyId = ActiveKeyId(purpose);
        var output = new byte[NonceSize + TagSize + data.Length];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_keys[keyId], TagSize);
        aes.Encrypt(nonce, data, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize), Encoding.UTF8.GetBytes(associatedData));
        return $"{Prefix}{keyId}:{Convert.ToBase64String(output)}";
    }

    /// <summary>The value again, encrypted with the active key of <paramref name="purpose"/> (the rotation's step).</summary>
    /// <exception cref="CryptographicException">The value cannot be read with this ring.</exception>
    public string Reencrypt(string stored, string associatedData, FieldPurpose purpose) =>
        EncryptBytes(DecryptBytes(stored, associatedData), associatedData, purpose);

    /// <exception cref="CryptographicException">The value was not encrypted with a key of this ring and this associated data, or was altered.</exception>
    public string Decrypt(string stored, string associatedData) => Encoding.UTF8.GetString(DecryptBytes(stored, associatedData));

    /// <summary>The bytes <see cref="EncryptBytes"/> (or <see cref="Encrypt"/>, as UTF-8) encrypted.</summary>
    /// <exception cref="CryptographicException">The value was not encrypted with a key of this ring and this associated data, or was altered.</exception>
    public byte[] DecryptBytes(string stored, string associatedData)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(associatedData);
        if (stored.StartsWith(Prefix, StringComparison.Ordinal))
        {
            var separator = stored.IndexOf(':', Prefix.Length);
            if (separator < 0)
            {
                throw new CryptographicException("Unknown encrypted value format.");
            }

            var keyId = stored[Prefix.Length..separator];
            return _keys.TryGetValue(keyId, out var key)
                ? Open(key, Payload(stored[(separator + 1)..]), associatedData)
                : throw new CryptographicException($"The value is encrypted with key '{keyId}', which is not in this service's key ring.");
        }

        if (!stored.StartsWith(LegacyPrefix, StringComparison.Ordinal))
        {
            throw new CryptographicException("Unknown encrypted value format.");
        }

        // Before the ring a value did not say which key: the legacy key first, then the others.
        var input = Payload(stored[LegacyPrefix.Length..]);
        foreach (var (_, key) in _keys.OrderBy(k => k.Key == FieldEncryptionOptions.LegacyKeyId ? 0 : 1))
        {
            try
            {
                return Open(key, input, associatedData);
            }
            catch (AuthenticationTagMismatchException)
            {
                // Not this key: try the next.
            }
        }

        throw new AuthenticationTagMismatchException("No key of this service's ring opens the value (or it was altered, or moved).");
    }

    private static byte[] Payload(string base64)
    {
        var input = Convert.FromBase64String(base64);
        return input.Length >= NonceSize + TagSize ? input : throw new CryptographicException("Encrypted value too short.");
    }

    private static byte[] Open(byte[] key, byte[] input, string associatedData)
    {
        var plaintext = new byte[input.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(input.AsSpan(0, NonceSize), input.AsSpan(NonceSize + TagSize), input.AsSpan(NonceSize, TagSize), plaintext, Encoding.UTF8.GetBytes(associatedData));
        return plaintext;
    }
}

public static class FieldEncryptionExtensions
{
    /// <summary>
    /// Registers <see cref="FieldEncryption"/> with its ring from the <c>FieldEncryption</c> section. The
    /// ring is checked when the service starts, in every environment (a service that stores personal data
    /// does not start without a usable ring), and outside Development every key of it must be a random
    /// key (<see cref="SecretKeys"/>; deploy/local/run.sh generates them into .data/secrets).
    /// </summary>
    public static IServiceCollection AddFieldEncryption(this IServiceCollection services)
    {
        services.AddValidatedOptions<FieldEncryptionOptions>(FieldEncryptionOptions.Section);
        services.AddSingleton<IValidateOptions<FieldEncryptionOptions>, RingValidator>();
        services.AddSecretKeysCheck<FieldEncryptionOptions>(o =>
            o.Ring().Count == 0 ? [($"{FieldEncryptionOptions.Section}:Key", null)] : o.Ring().Select(k => (FieldEncryptionOptions.Name(k.Key), (string?)k.Value)));
        services.AddSingleton<FieldEncryption>();
        return services;
    }

    /// <summary>Names what is wrong with the ring in the start-up refusal.</summary>
    private sealed class RingValidator : IValidateOptions<FieldEncryptionOptions>
    {
        public ValidateOptionsResult Validate(string? name, FieldEncryptionOptions options) =>
            options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
