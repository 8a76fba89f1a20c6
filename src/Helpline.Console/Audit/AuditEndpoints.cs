using System.Globalization;
using System.Text;
using CsvHelper;
using Helpline.Console.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Helpline.Console.Audit;

/// <summary>One audit entry as an admin sees it: never personal data (there is none in the table).</summary>
internal sealed record AuditEntryView(
    long Id,
    long? Sequence,
    DateTimeOffset At,
    Guid? ActorId,
    string? ActorUserName,
    string Action,
    Guid? ContactId,
    string? Target,
    string? Detail,
    string? ClientAddress,
    string? Hash);

/// <summary>Newest first; <paramref name="Before"/> is the id to pass for the next (older) page, null at the end.</summary>
internal sealed record AuditPage(IReadOnlyList<AuditEntryView> Entries, long? Before);

/// <summary>The filters of a query or an export (all optional; <c>from</c> inclusive, <c>to</c> exclusive).</summary>
internal sealed record AuditFilter(DateTimeOffset? From, DateTimeOffset? To, string? Action, Guid? ActorId, Guid? ContactId)
{
    public const int MaxActionLength = 64;

    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (From is { } from && To is { } to && to <= from)
        {
            errors["to"] = ["Must be after from."];
        }

        if (Action is { Length: > MaxActionLength })
        {
            errors["action"] = [$"At most {MaxActionLength} characters."];
        }

        return errors;
    }

    public IQueryable<AuditEntry> Apply(IQueryable<AuditEntry> entries)
    {
        if (From is { } from)
        {
            entries = entries.Where(e => e.At >= from);
        }

        if (To is { } to)
        {
            entries = entries.Where(e => e.At < to);
        }

        if (!string.IsNullOrEmpty(Action))
        {
            entries = entries.Where(e => e.Action == Action);
        }

        if (ActorId is { } actor)
        {
            entries = entries.Where(e => e.ActorId == actor);
        }

        if (ContactId is { } contact)
        {
            entries = entries.Where(e => e.ContactId == contact);
        }

        return entries;
    }

    /// <summary>The filter in a few words for the audit entry of the query itself (ids, times, an action name: no personal data).</summary>
    public string Describe() =>
        string.Join(' ', new[]
        {
            From is { } f ? $"from={f:O}" : null, To is { } t ? $"to={t:O}" : null, Action is { Length: > 0 } a ? $"action={a}" : null,
            ActorId is { } actor ? $"actor={actor:N}" : null, ContactId is { } c ? $"contact={c:N}" : null,
        }.Where(p => p is not null));
}

/// <summary>Admins query, export and verify the audit trail; each of those is itself audited.</summary>
internal static class AuditEndpoints
{
    public const int MaxPage = 500;

    public const int MaxExport = 100_000;

    public static async Task<Results<Ok<AuditPage>, ValidationProblem>> Query(
        DateTimeOffset? from, DateTimeOffset? to, string? action, Guid? actorId, Guid? contactId, long? before, int? limit,
        ConsoleDbContext db, AuditTrail audit, CancellationToken cancellationToken)
    {
        var filter = new AuditFilter(from, to, action, actorId, contactId);
        var errors = filter.Validate();
        if (limit is < 1 or > MaxPage)
        {
            errors["limit"] = [$"Between 1 and {MaxPage}."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The audit query is not valid.");
        }

        var take = limit ?? 100;
        var entries = filter.Apply(db.AuditEntries.AsNoTracking());
        if (before is { } id)
        {
            entries = entries.Where(e => e.Id < id);
        }

        var page = await Views(db, entries.OrderByDescending(e => e.Id).Take(take + 1), cancellationToken);
        var more = page.Count > take;
        if (more)
        {
            page.RemoveAt(take);
        }

        await audit.RecordAsync("audit.queried", detail: Limit($"{page.Count} entries {filter.Describe()}"), cancellationToken: cancellationToken);
        return TypedResults.Ok(new AuditPage(page, more ? page[^1].Id : null));
    }

    public static async Task<Results<FileContentHttpResult, ValidationProblem>> Export(
        DateTimeOffset? from, DateTimeOffset? to, string? action, Guid? actorId, Guid? contactId, string? format,
        ConsoleDbContext db, AuditTrail audit, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        var filter = new AuditFilter(from, to, action, actorId, contactId);
        var errors = filter.Validate();
        var kind = format ?? "csv";
        if (kind is not ("csv" or "json"))
        {
            errors["format"] = ["csv or json."];
        }

        var entries = filter.Apply(db.AuditEntries.AsNoTracking());
        if (errors.Count == 0 && await entries.CountAsync(cancellationToken) > MaxExport)
        {
            errors["to"] = [$"More than {MaxExport} entries: export a shorter period."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The audit export is not valid.");
        }

        // Oldest first, as the chain runs: the last sealed row's hash is the anchor to keep.
        var rows = await Views(db, entries.OrderBy(e => e.Id), cancellationToken);
        var name = $"audit-{time.GetUtcNow():yyyy-MM-dd}.{kind}";
        var body = kind == "json" ? System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(rows, System.Text.Json.JsonSerializerOptions.Web) : Encoding.UTF8.GetBytes(Csv(rows));
        await audit.RecordAsync("audit.exported", detail: Limit($"{rows.Count} entries as {kind} {filter.Describe()}"), cancellationToken: cancellationToken);
        return TypedResults.File(body, kind == "json" ? "application/json" : "text/csv; charset=utf-8", name);
    }

    public static async Task<Ok<AuditVerification>> Verify(AuditChain chain, AuditTrail audit, CancellationToken cancellationToken)
    {
        var result = await chain.VerifyAsync(cancellationToken);
        await audit.RecordAsync("audit.verified", detail: result.Intact ? $"intact, {result.Sealed} sealed" : $"broken at {result.BrokenAt}", cancellationToken: cancellationToken);
        return TypedResults.Ok(result);
    }

    private static async Task<List<AuditEntryView>> Views(ConsoleDbContext db, IQueryable<AuditEntry> entries, CancellationToken cancellationToken) =>
        await (from e in entries
               join u in db.Users on e.ActorId equals u.Id into actors
               from u in actors.DefaultIfEmpty()
               select new AuditEntryView(e.Id, e.Sequence, e.At, e.ActorId, u == null ? null : u.UserName, e.Action, e.ContactId, e.Target, e.Detail, e.ClientAddress, e.Hash == null ? null : Convert.ToHexStringLower(e.Hash)))
            .ToListAsync(cancellationToken);

    private static string Csv(IReadOnlyList<AuditEntryView> rows)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = new CsvWriter(text, CultureInfo.InvariantCulture))
        {
            foreach (var column in new[] { "id", "sequence", "at", "actor_id", "actor_user_name", "action", "contact_id", "target", "detail", "client_address", "hash" })
            {
                csv.WriteField(column);
            }

            csv.NextRecord();
            foreach (var r in rows)
            {
                object?[] cells = [r.Id, r.Sequence, r.At.UtcDateTime.ToString("O", CultureInfo.InvariantCulture), r.ActorId, r.ActorUserName, r.Action, r.ContactId, r.Target, r.Detail, r.ClientAddress, r.Hash];
                foreach (var cell in cells)
                {
                    csv.WriteField(cell);
                }

                csv.NextRecord();
            }
        }

        return text.ToString();
    }

    private static string Limit(string detail) => detail.Length <= 256 ? detail : detail[..256];
}
