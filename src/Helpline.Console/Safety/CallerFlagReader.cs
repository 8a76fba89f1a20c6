using Helpline.Console.Advisors;
using Helpline.Console.Data;
using Helpline.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;

namespace Helpline.Console.Safety;

/// <summary>
/// The flags standing on callers (not dismissed, not expired), with their reasons decrypted, for the
/// ringing offer, the contact record and the caller's history. Used with the caller's own context,
/// so the router reads them inside its transaction.
/// </summary>
internal sealed class CallerFlagReader(FieldEncryption encryption, TimeProvider time)
{
    /// <summary>The standing flag for each of <paramref name="callerKeys"/> that has one (the latest raised, should two stand).</summary>
    public async Task<Dictionary<string, CallerFlagNotice>> StandingAsync(ConsoleDbContext db, IReadOnlyCollection<string> callerKeys, CancellationToken cancellationToken)
    {
        if (callerKeys.Count == 0)
        {
            return [];
        }

        var now = time.GetUtcNow();
        var flags = await db.CallerFlags.AsNoTracking()
            .Where(f => callerKeys.Contains(f.CallerKey) && f.Status != CallerFlagStatus.Dismissed && f.ExpiresAt > now)
            .OrderByDescending(f => f.RaisedAt)
            .ToListAsync(cancellationToken);
        return flags.DistinctBy(f => f.CallerKey).ToDictionary(f => f.CallerKey, Notice, StringComparer.Ordinal);
    }

    /// <summary>The standing flag on a caller, or null (always null for a withheld number).</summary>
    public async Task<CallerFlagNotice?> StandingAsync(ConsoleDbContext db, string? callerKey, CancellationToken cancellationToken) =>
        callerKey is null ? null : (await StandingAsync(db, [callerKey], cancellationToken)).GetValueOrDefault(callerKey);

    public CallerFlagNotice Notice(CallerFlag flag) =>
        new(flag.Id, Reason(flag), flag.Status.ToString(), flag.RaisedAt, flag.ExpiresAt);

    public string Reason(CallerFlag flag) => encryption.Decrypt(flag.EncryptedReason, AssociatedData(flag.Id));

    public string EncryptReason(Guid flagId, string reason) => encryption.Encrypt(reason, AssociatedData(flagId), FieldPurpose.Records);

    internal static string AssociatedData(Guid flagId) => $"caller_flags:{flagId}:reason";
}
