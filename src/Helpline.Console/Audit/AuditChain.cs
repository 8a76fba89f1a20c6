using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Helpline.Console.Data;
using Helpline.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;

namespace Helpline.Console.Audit;

/// <summary>What a check of the chain found: intact, or the first entry that does not fit and why.</summary>
/// <param name="Intact">Every sealed entry is where the chain says and unchanged.</param>
/// <param name="Sealed">Entries checked.</param>
/// <param name="Unsealed">Entries written but not sealed yet (sealed within seconds).</param>
/// <param name="BrokenAt">The sequence of the first entry that does not fit, when not intact.</param>
/// <param name="Problem">Why it does not fit.</param>
/// <param name="HeadSequence">The last sealed entry: keep it with its hash to prove later that nothing before it was rewritten.</param>
/// <param name="HeadHash">Its hash, hex.</param>
internal sealed record AuditVerification(bool Intact, long Sealed, long Unsealed, long? BrokenAt, string? Problem, long? HeadSequence, string? HeadHash);

/// <summary>
/// The audit trail's hash chain. Entries are written unsealed with the change they describe (no lock on
/// the request's path); <see cref="SealAsync"/> then gives them, in one place at a time, a sequence and
/// <c>hash = HMAC-SHA256(key, previous hash ‖ the entry's fields)</c>. The key is derived (HKDF) from
/// a key of the field-encryption ring (<c>FieldEncryption:AuditChainKey</c>, by default key <c>0</c>) and never stored in the database, so whoever can only write to the
/// database can change or delete an entry but cannot make the chain fit again; the database also
/// refuses updates (other than sealing) and deletes. <see cref="VerifyAsync"/> walks the chain.
/// </summary>
internal sealed class AuditChain(ConsoleDbContext db, FieldEncryption encryption)
{
    /// <summary>Sealing takes this advisory lock (two-key form) so that one instance seals at a time.</summary>
    private const int LockClass = 74060;

    private const int LockId = 1;

    private static readonly byte[] Genesis = new byte[32];

    private readonly byte[] _key = encryption.DeriveKey(encryption.AuditChainKeyId, "helpline audit chain v1");

    /// <summary>Seals what is waiting, oldest first, in batches.</summary>
    /// <returns>How many entries it sealed (0 when another instance holds the lock).</returns>
    public async Task<int> SealAsync(int batch, CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var locked = await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock({LockClass}, {LockId}) AS \"Value\"").SingleAsync(cancellationToken);
            if (!locked)
            {
                return total;
            }

            var head = await db.AuditEntries.AsNoTracking().Where(e => e.Sequence != null).OrderByDescending(e => e.Sequence)
                .Select(e => new { e.Sequence, e.Hash }).FirstOrDefaultAsync(cancellationToken);
            var waiting = await db.AuditEntries.Where(e => e.Hash == null).OrderBy(e => e.Id).Take(batch).ToListAsync(cancellationToken);
            var sequence = head?.Sequence ?? 0;
            var previous = head?.Hash ?? Genesis;
            foreach (var entry in waiting)
            {
                sequence++;
                var hash = HashOf(previous, sequence, entry);
                entry.Seal(sequence, previous, hash);
                previous = hash;
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            db.ChangeTracker.Clear();
            total += waiting.Count;
            if (waiting.Count < batch)
            {
                return total;
            }
        }
    }

    /// <summary>Walks every sealed entry in sequence, recomputing each hash.</summary>
    public async Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken)
    {
        var unsealed = await db.AuditEntries.LongCountAsync(e => e.Hash == null, cancellationToken);
        long expected = 1;
        var previous = Genesis;
        await foreach (var entry in db.AuditEntries.AsNoTracking().Where(e => e.Sequence != null).OrderBy(e => e.Sequence).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            var problem = entry.Sequence != expected ? $"entry {expected} is missing"
                : !CryptographicOperations.FixedTimeEquals(entry.PreviousHash, previous) ? "it does not follow the entry before it"
                : !CryptographicOperations.FixedTimeEquals(entry.Hash, HashOf(previous, expected, entry)) ? "its content was changed after it was sealed"
                : null;
            if (problem is not null)
            {
                return new AuditVerification(false, expected - 1, unsealed, expected, problem, expected - 1, expected > 1 ? Convert.ToHexStringLower(previous) : null);
            }

            previous = entry.Hash!;
            expected++;
        }

        var count = expected - 1;
        return new AuditVerification(true, count, unsealed, null, null, count > 0 ? count : null, count > 0 ? Convert.ToHexStringLower(previous) : null);
    }

    private byte[] HashOf(byte[] previous, long sequence, AuditEntry entry)
    {
        // Each field length-prefixed ("~" for none), so no two different entries read alike.
        var text = new StringBuilder();
        foreach (var field in new[]
                 {
                     sequence.ToString(CultureInfo.InvariantCulture), entry.Id.ToString(CultureInfo.InvariantCulture), entry.At.UtcTicks.ToString(CultureInfo.InvariantCulture),
                     entry.ActorId?.ToString("N"), entry.Action, entry.ContactId?.ToString("N"), entry.Target, entry.Detail, entry.ClientAddress,
                 })
        {
            text.Append(field is null ? "~" : $"{field.Length}:{field}").Append('|');
        }

        byte[] message = [.. previous, .. Encoding.UTF8.GetBytes(text.ToString())];
        return HMACSHA256.HashData(_key, message);
    }
}
