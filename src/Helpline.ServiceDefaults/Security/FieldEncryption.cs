using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Helpline.ServiceDefaults.Security;

/// <summary>The key that encrypts personal data at rest (section <c>FieldEncryption</c>).</summary>
public sealed class FieldEncryptionOptions
{
    public const string Section = "FieldEncryption";

    /// <summary>Base64 of exactly 32 random bytes (AES-256). Keep it secret and stable: without it stored data cannot be read.</summary>
    [Required]
    public string Key { get; set; } = "";
}

/// <summary>
/// Encrypts a value (a caller's number, an email address, an advisor's notes) with AES-256-GCM
/// before it is stored. Each value gets a fresh 12-byte nonce; the stored text is
/// <c>v1:</c> + base64(nonce | tag | ciphertext). The associated data binds a value to its row and
/// column, so a ciphertext copied into another row does not decrypt.
/// </summary>
public sealed class FieldEncryption
{
    private const string Prefix = "v1:";
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] _key;

    public FieldEncryption(IOptions<FieldEncryptionOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _key = ParseKey(options.Value.Key) ?? throw new InvalidOperationException(
            $"{FieldEncryptionOptions.Section}:Key must be the base64 of 32 random bytes (for example: head -c 32 /dev/urandom | base64).");
    }

    public static byte[]? ParseKey(string? key)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            return null;
        }

        var bytes = new byte[32];
        return Convert.TryFromBase64String(key.Trim(), bytes, out var written) && written == 32 && key.Trim().Length == 44 ? bytes : null;
    }

    public string Encrypt(string plaintext, string associatedData)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        return EncryptBytes(Encoding.UTF8.GetBytes(plaintext), associatedData);
    }

    /// <summary>Encrypts binary data (an email attachment) into the same text format as <see cref="Encrypt"/>.</summary>
    public string EncryptBytes(ReadOnlySpan<byte> data, string associatedData)
    {
        ArgumentNullException.ThrowIfNull(associatedData);
        var output = new byte[NonceSize + TagSize + data.Length];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, data, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize), Encoding.UTF8.GetBytes(associatedData));
        return Prefix + Convert.ToBase64String(output);
    }

    /// <exception cref="CryptographicException">The value was not encrypted with this key and associated data, or was altered.</exception>
    public string Decrypt(string stored, string associatedData) => Encoding.UTF8.GetString(DecryptBytes(stored, associatedData));

    /// <summary>The bytes <see cref="EncryptBytes"/> (or <see cref="Encrypt"/>, as UTF-8) encrypted.</summary>
    /// <exception cref="CryptographicException">The value was not encrypted with this key and associated data, or was altered.</exception>
    public byte[] DecryptBytes(string stored, string associatedData)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(associatedData);
        if (!stored.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new CryptographicException("Unknown encrypted value format.");
        }

        var input = Convert.FromBase64String(stored[Prefix.Length..]);
        if (input.Length < NonceSize + TagSize)
        {
            throw new CryptographicException("Encrypted value too short.");
        }

        var plaintext = new byte[input.Length - NonceSize - TagSize];
        using var aes = new AesGcm(_key, TagSize);
        aes.Decrypt(input.AsSpan(0, NonceSize), input.AsSpan(NonceSize + TagSize), input.AsSpan(NonceSize, TagSize), plaintext, Encoding.UTF8.GetBytes(associatedData));
        return plaintext;
    }
}

public static class FieldEncryptionExtensions
{
    /// <summary>
    /// Registers <see cref="FieldEncryption"/> with its key from <c>FieldEncryption:Key</c>. The key is
    /// checked when the service starts, in every environment: a service that stores personal data
    /// does not start without one (deploy/local/run.sh generates one into .data/secrets).
    /// </summary>
    public static IServiceCollection AddFieldEncryption(this IServiceCollection services)
    {
        services.AddValidatedOptions<FieldEncryptionOptions>(FieldEncryptionOptions.Section)
            .Validate(o => FieldEncryption.ParseKey(o.Key) is not null, $"{FieldEncryptionOptions.Section}:Key must be the base64 of 32 random bytes.");
        services.AddSecretKeyCheck<FieldEncryptionOptions>($"{FieldEncryptionOptions.Section}:Key", o => o.Key);
        services.AddSingleton<FieldEncryption>();
        return services;
    }
}
