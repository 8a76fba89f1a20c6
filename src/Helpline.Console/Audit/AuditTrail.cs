using System.Security.Claims;
using Helpline.Console.Data;

namespace Helpline.Console.Audit;

/// <summary>
/// Adds audit entries to the request's unit of work: the entry is saved with the change it
/// describes (one <c>SaveChangesAsync</c>), or, for a read, by <see cref="RecordAsync"/> on its own.
/// </summary>
internal sealed class AuditTrail(ConsoleDbContext db, IHttpContextAccessor http, TimeProvider time)
{
    /// <summary>Stages an entry; it is written by the caller's next <c>SaveChangesAsync</c>.</summary>
    public void Add(string action, Guid? contactId = null, string? target = null, string? detail = null) =>
        db.AuditEntries.Add(new AuditEntry
        {
            At = time.GetUtcNow(),
            ActorId = ActorId(http.HttpContext?.User),
            Action = action,
            ContactId = contactId,
            Target = target,
            Detail = detail,
            ClientAddress = http.HttpContext?.Connection.RemoteIpAddress?.ToString(),
        });

    /// <summary>Writes an entry now (for reads, which have no change of their own to save with).</summary>
    public async Task RecordAsync(string action, Guid? contactId = null, string? target = null, string? detail = null, CancellationToken cancellationToken = default)
    {
        Add(action, contactId, target, detail);
        await db.SaveChangesAsync(cancellationToken);
    }

    private static Guid? ActorId(ClaimsPrincipal? user) =>
        Guid.TryParse(user?.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;
}
