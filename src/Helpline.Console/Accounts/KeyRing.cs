using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Helpline.Console.Data;
using Helpline.ServiceDefaults.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helpline.Console.Accounts;

/// <summary>Section <c>DataProtection</c>: the key that encrypts the Data Protection key ring at rest.</summary>
internal sealed class KeyRingOptions
{
    public const string Section = "DataProtection";

    /// <summary>Base64 of 32 random bytes, the same for every Console instance (deploy/local/run.sh and deploy/compose-env.sh generate it).</summary>
    public string? KeyEncryptionKey { get; set; }
}

/// <summary>
/// The ASP.NET Core Data Protection key ring that signs the session cookies and bearer tokens: one ring for
/// every Console instance (a fixed application name), kept in <c>console.data_protection_keys</c> so a
/// restart or another instance accepts what one issued, and each key's XML encrypted with AES-256-GCM
/// under <c>DataProtection:KeyEncryptionKey</c> so the table alone gives nobody a key.
/// </summary>
internal static class KeyRing
{
    public const string ApplicationName = "helpline-console";
    public const string KeySetting = $"{KeyRingOptions.Section}:KeyEncryptionKey";
    internal const int NonceSize = 12;
    internal const int TagSize = 16;
    private static readonly byte[] AssociatedData = Encoding.UTF8.GetBytes("helpline-console data protection key");

    public static IHostApplicationBuilder AddKeyRing(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<KeyRingOptions>(KeyRingOptions.Section)
            .Validate(o => FieldEncryption.ParseKey(o.KeyEncryptionKey) is not null, $"{KeySetting} must be the base64 of 32 random bytes (head -c 32 /dev/urandom | base64).");
        builder.Services.AddSecretKeyCheck<KeyRingOptions>(KeySetting, o => o.KeyEncryptionKey);
        builder.Services.AddDataProtection()
            .SetApplicationName(ApplicationName)
            .PersistKeysToDbContext<ConsoleDbContext>();
        builder.Services.AddOptions<KeyManagementOptions>().Configure<IOptions<KeyRingOptions>>((keys, ring) =>
            keys.XmlEncryptor = new KeyRingEncryptor(Key(ring.Value)));
        builder.Services.AddHostedService<KeyRingCheck>();
        return builder;
    }

    public static byte[] Key(KeyRingOptions options) =>
        FieldEncryption.ParseKey(options.KeyEncryptionKey) ?? throw new InvalidOperationException($"{KeySetting} must be the base64 of 32 random bytes.");

    public static byte[] Seal(byte[] key, byte[] plaintext)
    {
        var sealedBytes = new byte[NonceSize + TagSize + plaintext.Length];
        RandomNumberGenerator.Fill(sealedBytes.AsSpan(0, NonceSize));
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(sealedBytes.AsSpan(0, NonceSize), plaintext, sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), AssociatedData);
        return sealedBytes;
    }

    /// <summary>The plaintext, or a <see cref="CryptographicException"/> that names the setting when the key is not the one that sealed it.</summary>
    public static byte[] Open(byte[] key, byte[] sealedBytes)
    {
        if (sealedBytes.Length < NonceSize + TagSize)
        {
            throw new CryptographicException("A Data Protection key in console.data_protection_keys is truncated.");
        }

        var plaintext = new byte[sealedBytes.Length - NonceSize - TagSize];
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), plaintext, AssociatedData);
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new CryptographicException(
                $"{KeySetting} does not decrypt the Data Protection key ring in console.data_protection_keys: it is not the key that encrypted it. "
                + "Give every Console instance the key the others use (.data/secrets/data-protection-key, HELPLINE_DATA_PROTECTION_KEY in .env).", e);
        }

        return plaintext;
    }
}

/// <summary>Encrypts a new key's secret before Data Protection stores it (<see cref="KeyRing"/>).</summary>
public sealed class KeyRingEncryptor(byte[] key) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        ArgumentNullException.ThrowIfNull(plaintextElement);
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var element = new XElement("encryptedKey",
            new XComment(" AES-256-GCM under DataProtection:KeyEncryptionKey "),
            new XElement("value", Convert.ToBase64String(KeyRing.Seal(key, plaintext))));
        return new EncryptedXmlInfo(element, typeof(KeyRingDecryptor));
    }
}

/// <summary>Decrypts a stored key's secret; Data Protection creates it by type name with the service provider.</summary>
public sealed class KeyRingDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        var key = KeyRing.Key(services.GetRequiredService<IOptions<KeyRingOptions>>().Value);
        var value = encryptedElement.Element("value")?.Value
            ?? throw new CryptographicException("A Data Protection key in console.data_protection_keys has no encrypted value.");
        return XElement.Parse(Encoding.UTF8.GetString(KeyRing.Open(key, Convert.FromBase64String(value))));
    }
}

/// <summary>
/// Refuses to start, before any hosted service (Data Protection's own would otherwise make a new key and
/// sign everyone out), when the configured key-encryption key does not decrypt every stored key.
/// </summary>
internal sealed class KeyRingCheck(IServiceProvider services) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConsoleDbContext>();
        var decryptor = new KeyRingDecryptor(scope.ServiceProvider);
        foreach (var xml in await db.DataProtectionKeys.AsNoTracking().Select(k => k.Xml).ToListAsync(cancellationToken))
        {
            var secrets = XElement.Parse(xml ?? "<key/>").Descendants()
                .Where(e => e.Name.LocalName == "encryptedSecret"
                    && e.Attributes().Any(a => a.Name.LocalName == "decryptorType" && a.Value == typeof(KeyRingDecryptor).AssemblyQualifiedName));
            foreach (var secret in secrets)
            {
                decryptor.Decrypt(secret.Elements().Single());
            }
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
