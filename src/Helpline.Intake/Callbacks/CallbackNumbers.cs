using Helpline.Intake.Data;
using Helpline.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;

namespace Helpline.Intake.Callbacks;

/// <summary>
/// The one way to read a callback number back, for the code that will place the callback (nothing else
/// should take this service). The number it returns must go to the phone network only: never to a log,
/// a trace, a metric, a message or a URL.
/// </summary>
internal sealed class CallbackNumbers(IntakeDbContext db, FieldEncryption encryption)
{
    /// <summary>The number the caller consented to be called back on, or null when there is no callback request for the contact.</summary>
    public async Task<string?> NumberForAsync(Guid contactId, CancellationToken cancellationToken)
    {
        var stored = await db.CallbackRequests.AsNoTracking()
            .Where(r => r.ContactId == contactId)
            .Select(r => r.EncryptedNumber)
            .SingleOrDefaultAsync(cancellationToken);
        return stored is null ? null : encryption.Decrypt(stored, CallbackRequest.AssociatedData(contactId));
    }
}
