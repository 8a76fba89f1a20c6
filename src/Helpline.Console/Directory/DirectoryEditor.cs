using System.Text.Json;
using Helpline.Console.Audit;
using Helpline.Console.Data;
using Helpline.ServiceDefaults;
using Microsoft.EntityFrameworkCore;

namespace Helpline.Console.Directory;

/// <summary>The outcome of a change: the entry as saved, or, when the caller's version was stale, the current version (0: none).</summary>
internal sealed record EditResult<T>(T? Saved, int CurrentVersion)
    where T : class;

/// <summary>What an import did.</summary>
internal sealed record ImportSummary(int Created, int Updated, int Unchanged);

/// <summary>
/// Every change to the directory goes through here: the entry, a <see cref="DirectoryChange"/> with
/// the whole entry as it became, and an audit entry, saved together; a stale version changes nothing.
/// </summary>
internal sealed partial class DirectoryEditor(ConsoleDbContext db, AuditTrail audit, TimeProvider time, ILogger<DirectoryEditor> logger)
{
    public const string ServiceEntity = "service";
    public const string BodyEntity = "commissioningBody";
    public const string ForceAreaEntity = "forceArea";

    public static string Snapshot(object value) => JsonSerializer.Serialize(value, JsonSerializerOptions.Web);

    /// <summary>Creates (<paramref name="expectedVersion"/> 0) or updates a service.</summary>
    public async Task<EditResult<SupportService>> SaveServiceAsync(string id, int expectedVersion, ServiceData valid, Guid actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(valid);
        var service = await db.Set<SupportService>().SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        if ((service?.Version ?? 0) != expectedVersion)
        {
            return new(null, service?.Version ?? 0);
        }

        var now = time.GetUtcNow();
        var created = service is null;
        if (service is null)
        {
            service = NewService(id);
            db.Add(service);
        }

        if (!valid.ApplyTo(service) && !created)
        {
            return new(service, service.Version);
        }

        Stamp(service, actor, now);
        AddChange(ServiceEntity, id, service.Version, created ? "created" : "updated", valid, actor, now);
        audit.Add(created ? "directory.service.created" : "directory.service.updated", target: id);
        return await SaveAsync(service, () => service.Version, cancellationToken);
    }

    /// <summary>Applies every row of a validated import, or nothing.</summary>
    public async Task<(ImportSummary? Summary, string? ConflictId)> ImportAsync(IReadOnlyList<(string Id, ServiceData Data)> rows, Guid actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var ids = rows.Select(r => r.Id).ToList();
        var existing = await db.Set<SupportService>().Where(s => ids.Contains(s.Id)).ToDictionaryAsync(s => s.Id, StringComparer.Ordinal, cancellationToken);
        var now = time.GetUtcNow();
        int created = 0, updated = 0, unchanged = 0;
        foreach (var (id, data) in rows)
        {
            var isNew = !existing.TryGetValue(id, out var service);
            if (service is null)
            {
                service = NewService(id);
                db.Add(service);
            }

            if (!data.ApplyTo(service) && !isNew)
            {
                unchanged++;
                continue;
            }

            if (isNew)
            {
                created++;
            }
            else
            {
                updated++;
            }

            Stamp(service, actor, now);
            AddChange(ServiceEntity, id, service.Version, "imported", data, actor, now);
        }

        audit.Add("directory.import", detail: $"created {created}, updated {updated}, unchanged {unchanged}");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e is DbUpdateConcurrencyException || PostgresErrors.IsUniqueViolation(e))
        {
            db.ChangeTracker.Clear();
            return (null, e is DbUpdateConcurrencyException { Entries: [{ Entity: SupportService s }, ..] } ? s.Id : null);
        }

        LogImported(logger, created, updated, unchanged);
        return (new ImportSummary(created, updated, unchanged), null);
    }

    public async Task<EditResult<CommissioningBody>> SaveBodyAsync(string id, int expectedVersion, string name, string kind, Guid actor, CancellationToken cancellationToken)
    {
        var body = await db.Set<CommissioningBody>().SingleOrDefaultAsync(b => b.Id == id, cancellationToken);
        if ((body?.Version ?? 0) != expectedVersion)
        {
            return new(null, body?.Version ?? 0);
        }

        if (body is not null && body.Name == name && body.Kind == kind)
        {
            return new(body, body.Version);
        }

        var now = time.GetUtcNow();
        var created = body is null;
        if (body is null)
        {
            body = new CommissioningBody { Id = id, Name = name, Kind = kind };
            db.Add(body);
        }

        body.Name = name;
        body.Kind = kind;
        body.Version++;
        body.UpdatedAt = now;
        body.UpdatedBy = actor;
        AddChange(BodyEntity, id, body.Version, created ? "created" : "updated", new { name, kind }, actor, now);
        audit.Add(created ? "directory.body.created" : "directory.body.updated", target: id);
        return await SaveAsync(body, () => body.Version, cancellationToken);
    }

    /// <summary>Gives a force area to another commissioning body (as when a mayor takes over a PCC's functions). Null when the area is unknown.</summary>
    public async Task<EditResult<ForceArea>?> AssignForceAreaAsync(string code, int expectedVersion, string bodyId, Guid actor, CancellationToken cancellationToken)
    {
        var area = await db.Set<ForceArea>().SingleOrDefaultAsync(f => f.Code == code, cancellationToken);
        if (area is null)
        {
            return null;
        }

        if (area.Version != expectedVersion)
        {
            return new(null, area.Version);
        }

        if (area.CommissioningBodyId == bodyId)
        {
            return new(area, area.Version);
        }

        var now = time.GetUtcNow();
        area.CommissioningBodyId = bodyId;
        area.Version++;
        area.UpdatedAt = now;
        area.UpdatedBy = actor;
        AddChange(ForceAreaEntity, code, area.Version, "updated", new { name = area.Name, commissioningBodyId = bodyId }, actor, now);
        audit.Add("directory.forceArea.updated", target: code, detail: bodyId);
        return await SaveAsync(area, () => area.Version, cancellationToken);
    }

    private static SupportService NewService(string id) => new() { Id = id, Provider = "", Name = "", ReferralMethod = "", Status = "" };

    private static void Stamp(SupportService service, Guid actor, DateTimeOffset now)
    {
        service.Version++;
        service.UpdatedAt = now;
        service.UpdatedBy = actor;
    }

    private void AddChange(string entity, string id, int version, string change, object snapshot, Guid actor, DateTimeOffset now) =>
        db.Add(new DirectoryChange { At = now, ActorId = actor, Entity = entity, EntityId = id, Version = version, Change = change, Snapshot = Snapshot(snapshot) });

    private async Task<EditResult<T>> SaveAsync<T>(T entity, Func<int> version, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return new(entity, version());
        }
        catch (DbUpdateException e) when (e is DbUpdateConcurrencyException || PostgresErrors.IsUniqueViolation(e))
        {
            db.ChangeTracker.Clear();
            return new(null, -1);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Directory import: {Created} created, {Updated} updated, {Unchanged} unchanged")]
    private static partial void LogImported(ILogger logger, int created, int updated, int unchanged);
}
