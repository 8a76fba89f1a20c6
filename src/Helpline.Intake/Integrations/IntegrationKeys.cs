using System.Security.Cryptography;
using System.Text;
using Helpline.Intake.Data;
using Microsoft.EntityFrameworkCore;

namespace Helpline.Intake.Integrations;

/// <summary>
/// Creates, finds and revokes integration keys. A key is <c>hlk_</c> + its id (16 hex characters) +
/// <c>_</c> + 32 random bytes in base64url; it is shown once, when created, and stored only hashed.
/// </summary>
internal sealed class IntegrationKeys(IntakeDbContext db, TimeProvider time)
{
    private const string Prefix = "hlk_";
    private const int KeyIdLength = 16;

    /// <summary>The new key's text (the only time it exists outside its holder), or null when the name is taken.</summary>
    public async Task<string?> CreateAsync(string name, IReadOnlyCollection<string> scopes, CancellationToken cancellationToken)
    {
        if (await db.IntegrationKeys.AnyAsync(k => k.Name == name, cancellationToken))
        {
            return null;
        }

        var keyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(KeyIdLength / 2));
        var key = $"{Prefix}{keyId}_{Base64Url(RandomNumberGenerator.GetBytes(32))}";
        db.IntegrationKeys.Add(new IntegrationKey
        {
            Id = Guid.CreateVersion7(),
            Name = name,
            KeyId = keyId,
            SecretHash = Hash(key),
            Scopes = [.. scopes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            CreatedAt = time.GetUtcNow(),
        });
        await db.SaveChangesAsync(cancellationToken);
        return key;
    }

    /// <summary>The current (not revoked) key this text is, or null: malformed, unknown, wrong secret or revoked.</summary>
    public async Task<IntegrationKey?> FindAsync(string key, CancellationToken cancellationToken)
    {
        if (KeyIdOf(key) is not { } keyId)
        {
            return null;
        }

        var stored = await db.IntegrationKeys.AsNoTracking().SingleOrDefaultAsync(k => k.KeyId == keyId && k.RevokedAt == null, cancellationToken);
        return stored is not null && CryptographicOperations.FixedTimeEquals(stored.SecretHash, Hash(key)) ? stored : null;
    }

    /// <summary>Revokes the named key from now on; false when there is no current key of that name.</summary>
    public async Task<bool> RevokeAsync(string name, CancellationToken cancellationToken) =>
        await db.IntegrationKeys
            .Where(k => k.Name == name && k.RevokedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(k => k.RevokedAt, time.GetUtcNow()), cancellationToken) > 0;

    public async Task<IReadOnlyList<IntegrationKey>> ListAsync(CancellationToken cancellationToken) =>
        await db.IntegrationKeys.AsNoTracking().OrderBy(k => k.Name).ToListAsync(cancellationToken);

    private static string? KeyIdOf(string key)
    {
        if (!key.StartsWith(Prefix, StringComparison.Ordinal) || key.Length < Prefix.Length + KeyIdLength + 2 || key[Prefix.Length + KeyIdLength] != '_')
        {
            return null;
        }

        var keyId = key.Substring(Prefix.Length, KeyIdLength);
        return keyId.All(char.IsAsciiHexDigitLower) ? keyId : null;
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
