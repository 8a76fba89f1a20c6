using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Helpline.Intake.Callbacks;

/// <summary>
/// Encrypts a caller's callback number with AES-256-GCM under <see cref="CallbackOptions.EncryptionKey"/>.
/// Stored form: a format byte (1), the 12-byte nonce (random per number), the ciphertext and the 16-byte
/// tag. The contact id is the associated data, so a ciphertext copied to another contact's row does not
/// decrypt.
/// </summary>
public sealed class CallbackNumberProtector(IOptions<CallbackOptions> options)
{
    private const byte Format = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly byte[]? _key = options.Value.KeyBytes();

    public byte[] Protect(Guid contactId, string number)
    {
        ArgumentNullException.ThrowIfNull(number);
        var plaintext = Encoding.UTF8.GetBytes(number);
        var stored = new byte[1 + NonceSize + plaintext.Length + TagSize];
        stored[0] = Format;
        var nonce = stored.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(Key, TagSize);
        aes.Encrypt(nonce, plaintext, stored.AsSpan(1 + NonceSize, plaintext.Length), stored.AsSpan(1 + NonceSize + plaintext.Length), contactId.ToByteArray());
        CryptographicOperations.ZeroMemory(plaintext);
        return stored;
    }

    /// <exception cref="CryptographicException">The bytes were not protected for this contact with this key.</exception>
    public string Unprotect(Guid contactId, byte[] stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (stored.Length <= 1 + NonceSize + TagSize || stored[0] != Format)
        {
            throw new CryptographicException("Not a protected callback number.");
        }

        var length = stored.Length - 1 - NonceSize - TagSize;
        var plaintext = new byte[length];
        using var aes = new AesGcm(Key, TagSize);
        aes.Decrypt(stored.AsSpan(1, NonceSize), stored.AsSpan(1 + NonceSize, length), stored.AsSpan(1 + NonceSize + length), plaintext, contactId.ToByteArray());
        return Encoding.UTF8.GetString(plaintext);
    }

    private byte[] Key => _key ?? throw new InvalidOperationException("Callbacks:EncryptionKey is not configured.");
}
