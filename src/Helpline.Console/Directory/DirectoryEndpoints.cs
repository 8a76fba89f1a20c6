using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Helpline.Console.Audit;
using Helpline.Console.Data;
using Helpline.Console.Records;
using Helpline.Console.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Helpline.Console.Directory;

/// <summary>The directory's endpoint handlers (routes and policies in <see cref="Microsoft.Extensions.Hosting.DirectoryExtensions"/>).</summary>
internal static class DirectoryEndpoints
{
    public static async Task<Ok<IReadOnlyList<ServiceView>>> ListServices(string? q, ConsoleDbContext db, DirectoryCatalog catalog, AreaDirectory areas, CancellationToken cancellationToken)
    {
        var directory = await Current(db, catalog, cancellationToken);
        var query = q?.Trim() ?? "";
        IReadOnlyList<ServiceView> views = directory.Services
            .Select(s => ServiceView.From(s, directory, areas))
            .Where(v => query.Length == 0
                || v.Data.Name!.Contains(query, StringComparison.OrdinalIgnoreCase)
                || v.Data.Provider!.Contains(query, StringComparison.OrdinalIgnoreCase)
                || v.AreaNames.Any(a => a.Name.Contains(query, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(v => v.Data.Name, StringComparer.Ordinal)
            .ThenBy(v => v.Id, StringComparer.Ordinal)
            .ToList();
        return TypedResults.Ok(views);
    }

    public static async Task<Results<Ok<ServiceView>, NotFound>> GetService(string id, HttpResponse response, ConsoleDbContext db, DirectoryCatalog catalog, AreaDirectory areas, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        var directory = await Current(db, catalog, cancellationToken);
        if (directory.Service(id) is not { } service)
        {
            return TypedResults.NotFound();
        }

        response.Headers.ETag = Revisions.ETag(service.Version);
        return TypedResults.Ok(ServiceView.From(service, directory, areas));
    }

    public static async Task<Results<Ok<ServiceView>, ValidationProblem, ProblemHttpResult>> PutService(
        string id,
        ServiceData data,
        ClaimsPrincipal user,
        HttpRequest request,
        ConsoleDbContext db,
        DirectoryCatalog catalog,
        DirectoryEditor editor,
        ServiceValidator validator,
        AreaDirectory areas,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(validator);
        ArgumentNullException.ThrowIfNull(editor);
        if (!ServiceValidator.IsValidId(id))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["id"] = [IdRule] }, title: "The service id is not valid.");
        }

        if (Revisions.ParseIfMatch(request) is not { } expected)
        {
            return PreconditionRequired();
        }

        var directory = await Current(db, catalog, cancellationToken);
        var (valid, errors) = validator.Validate(data, directory.Bodies.Keys.ToHashSet(StringComparer.Ordinal));
        if (valid is null)
        {
            return TypedResults.ValidationProblem(errors, title: "Some of the service's fields are not valid.");
        }

        var result = await editor.SaveServiceAsync(id, expected, valid, ContactRecords.UserId(user), cancellationToken);
        if (result.Saved is not { } saved)
        {
            return Stale(result.CurrentVersion, expected);
        }

        request.HttpContext.Response.Headers.ETag = Revisions.ETag(saved.Version);
        return TypedResults.Ok(ServiceView.From(saved, await Current(db, catalog, cancellationToken), areas));
    }

    public static async Task<Results<Ok<ImportSummary>, ProblemHttpResult>> Import(
        HttpRequest request,
        ClaimsPrincipal user,
        ConsoleDbContext db,
        DirectoryCatalog catalog,
        DirectoryEditor editor,
        ServiceValidator validator,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(editor);
        ArgumentNullException.ThrowIfNull(validator);
        if (request.ContentType?.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) != true)
        {
            return TypedResults.Problem("Send the CSV as the request body with Content-Type: text/csv.", statusCode: StatusCodes.Status415UnsupportedMediaType, title: "The import must be CSV.");
        }

        using var reader = new StreamReader(request.Body, new UTF8Encoding(false, throwOnInvalidBytes: true));
        string text;
        try
        {
            text = await reader.ReadToEndAsync(cancellationToken);
        }
        catch (DecoderFallbackException)
        {
            return ImportRejected([new ImportError(1, null, "The file is not UTF-8 text.")]);
        }

        var directory = await Current(db, catalog, cancellationToken);
        var (valid, errors) = DirectoryImport.Check(text, validator, directory);
        if (errors.Count > 0)
        {
            return ImportRejected(errors);
        }

        var (summary, conflict) = await editor.ImportAsync(valid, ContactRecords.UserId(user), cancellationToken);
        return summary is not null
            ? TypedResults.Ok(summary)
            : TypedResults.Problem(
                $"A service{(conflict is null ? "" : $" ({conflict})")} was changed while the file was imported. Nothing was applied: import it again.",
                statusCode: StatusCodes.Status409Conflict,
                title: "The directory changed during the import.");
    }

    public static async Task<FileContentHttpResult> ExportCsv(ConsoleDbContext db, DirectoryCatalog catalog, AuditTrail audit, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(audit);
        var directory = await Current(db, catalog, cancellationToken);
        await audit.RecordAsync("directory.exported", detail: $"{directory.Services.Count} services as csv", cancellationToken: cancellationToken);
        await using var text = new StringWriter();
        ServiceCsv.Write(text, directory.Services.Select(s => (s.Id, ServiceData.From(s))));
        return TypedResults.File(Encoding.UTF8.GetBytes(text.ToString()), "text/csv; charset=utf-8", $"directory-{time.GetUtcNow():yyyy-MM-dd}.csv");
    }

    public static async Task<JsonHttpResult<HsdsPage>> ExportHsds(ConsoleDbContext db, DirectoryCatalog catalog, AreaDirectory areas, AuditTrail audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audit);
        var directory = await Current(db, catalog, cancellationToken);
        await audit.RecordAsync("directory.exported", detail: $"{directory.Services.Count} services as HSDS", cancellationToken: cancellationToken);
        return TypedResults.Json(HsdsExport.Page(directory, areas), HsdsExport.Json);
    }

    public static async Task<Results<Ok<IReadOnlyList<HistoryEntry>>, NotFound>> GetHistory(string entity, string id, ConsoleDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var changes = await (
                from c in db.Set<DirectoryChange>().AsNoTracking()
                where c.Entity == entity && c.EntityId == id
                join u in db.Users on c.ActorId equals u.Id into users
                from u in users.DefaultIfEmpty()
                orderby c.Version
                select new { c.Version, c.At, c.Change, c.ActorId, ActorName = u == null ? null : u.UserName, c.Snapshot })
            .ToListAsync(cancellationToken);
        if (changes.Count == 0)
        {
            return TypedResults.NotFound();
        }

        var entries = new List<HistoryEntry>(changes.Count);
        JsonElement? previous = null;
        foreach (var c in changes)
        {
            var snapshot = JsonDocument.Parse(c.Snapshot).RootElement.Clone();
            entries.Add(new HistoryEntry(c.Version, c.At, c.Change, c.ActorId, c.ActorName, ChangedFields(previous, snapshot), snapshot));
            previous = snapshot;
        }

        IReadOnlyList<HistoryEntry> newestFirst = [.. Enumerable.Reverse(entries)];
        return TypedResults.Ok(newestFirst);
    }

    public static async Task<Ok<IReadOnlyList<CommissioningBodyView>>> ListBodies(ConsoleDbContext db, DirectoryCatalog catalog, CancellationToken cancellationToken)
    {
        var directory = await Current(db, catalog, cancellationToken);
        IReadOnlyList<CommissioningBodyView> bodies = directory.Bodies.Values
            .OrderBy(b => b.Name, StringComparer.Ordinal)
            .Select(b => new CommissioningBodyView(b.Id, b.Name, b.Kind, b.Version, [.. directory.ForceAreas.Values
                .Where(f => f.CommissioningBodyId == b.Id).OrderBy(f => f.Name, StringComparer.Ordinal).Select(f => new NamedArea(f.Code, f.Name))]))
            .ToList();
        return TypedResults.Ok(bodies);
    }

    public static async Task<Results<Ok<CommissioningBodyView>, ValidationProblem, ProblemHttpResult>> PutBody(
        string id, CommissioningBodyData data, ClaimsPrincipal user, HttpRequest request, ConsoleDbContext db, DirectoryCatalog catalog, DirectoryEditor editor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(editor);
        ArgumentNullException.ThrowIfNull(request);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!ServiceValidator.IsValidId(id))
        {
            errors["id"] = [IdRule];
        }

        var name = data.Name?.Trim();
        var kind = data.Kind?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > DirectoryLimits.MaxNameLength)
        {
            errors["name"] = [$"Give the body's name, at most {DirectoryLimits.MaxNameLength} characters."];
        }

        if (string.IsNullOrEmpty(kind) || kind.Length > DirectoryLimits.MaxNameLength)
        {
            errors["kind"] = [$"Say what kind of body it is (such as Police and Crime Commissioner), at most {DirectoryLimits.MaxNameLength} characters."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The commissioning body is not valid.");
        }

        if (Revisions.ParseIfMatch(request) is not { } expected)
        {
            return PreconditionRequired();
        }

        var result = await editor.SaveBodyAsync(id, expected, name!, kind!, ContactRecords.UserId(user), cancellationToken);
        if (result.Saved is not { } saved)
        {
            return Stale(result.CurrentVersion, expected);
        }

        request.HttpContext.Response.Headers.ETag = Revisions.ETag(saved.Version);
        var directory = await Current(db, catalog, cancellationToken);
        return TypedResults.Ok(new CommissioningBodyView(saved.Id, saved.Name, saved.Kind, saved.Version, [.. directory.ForceAreas.Values
            .Where(f => f.CommissioningBodyId == saved.Id).OrderBy(f => f.Name, StringComparer.Ordinal).Select(f => new NamedArea(f.Code, f.Name))]));
    }

    public static async Task<Ok<IReadOnlyList<ForceAreaView>>> ListForceAreas(ConsoleDbContext db, DirectoryCatalog catalog, CancellationToken cancellationToken)
    {
        var directory = await Current(db, catalog, cancellationToken);
        IReadOnlyList<ForceAreaView> areas = directory.ForceAreas.Values
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .Select(f => ForceAreaView(f, directory))
            .ToList();
        return TypedResults.Ok(areas);
    }

    public static async Task<Results<Ok<ForceAreaView>, NotFound, ValidationProblem, ProblemHttpResult>> PutForceArea(
        string code, ForceAreaData data, ClaimsPrincipal user, HttpRequest request, ConsoleDbContext db, DirectoryCatalog catalog, DirectoryEditor editor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(editor);
        ArgumentNullException.ThrowIfNull(request);
        var directory = await Current(db, catalog, cancellationToken);
        if (!directory.ForceAreas.ContainsKey(code))
        {
            return TypedResults.NotFound();
        }

        var body = data.CommissioningBodyId?.Trim();
        if (body is null || !directory.Bodies.ContainsKey(body))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["commissioningBodyId"] = ["Choose a commissioning body in the directory."] }, title: "The commissioning body is not valid.");
        }

        if (Revisions.ParseIfMatch(request) is not { } expected)
        {
            return PreconditionRequired();
        }

        var result = await editor.AssignForceAreaAsync(directory.ForceAreas[code].Code, expected, body, ContactRecords.UserId(user), cancellationToken);
        if (result?.Saved is not { } saved)
        {
            return Stale(result?.CurrentVersion ?? 0, expected);
        }

        request.HttpContext.Response.Headers.ETag = Revisions.ETag(saved.Version);
        return TypedResults.Ok(ForceAreaView(saved, await Current(db, catalog, cancellationToken)));
    }

    private const string IdRule = "An id is 1 to 64 lower-case letters, digits and hyphens, starting and ending with a letter or digit (veritas-justice).";

    private static ForceAreaView ForceAreaView(ForceArea f, DirectorySnapshot directory) =>
        new(f.Code, f.Name, f.CommissioningBodyId, directory.Bodies.GetValueOrDefault(f.CommissioningBodyId)?.Name ?? f.CommissioningBodyId, f.Version);

    private static Task<DirectorySnapshot> Current(ConsoleDbContext db, DirectoryCatalog catalog, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return catalog.CurrentAsync(db, cancellationToken);
    }

    private static IReadOnlyList<string> ChangedFields(JsonElement? previous, JsonElement current)
    {
        if (previous is not { } before)
        {
            return [];
        }

        var names = current.EnumerateObject().Select(p => p.Name).Union(before.EnumerateObject().Select(p => p.Name), StringComparer.Ordinal);
        return [.. names.Where(name =>
        {
            var had = before.TryGetProperty(name, out var a);
            var has = current.TryGetProperty(name, out var b);
            return had != has || (had && a.GetRawText() != b.GetRawText());
        })];
    }

    private static ProblemHttpResult ImportRejected(IReadOnlyList<ImportError> errors) =>
        TypedResults.Problem(
            $"{errors.Count} problem{(errors.Count == 1 ? "" : "s")} in the file; nothing was imported. Each error names its line (1 is the header) and column.",
            statusCode: StatusCodes.Status400BadRequest,
            title: "The import was rejected.",
            extensions: new Dictionary<string, object?> { ["errors"] = errors });

    private static ProblemHttpResult PreconditionRequired() =>
        TypedResults.Problem(
            "Send If-Match with the version the change is based on (the ETag of the GET; \"0\" to create).",
            statusCode: StatusCodes.Status428PreconditionRequired,
            title: "If-Match is required.");

    private static ProblemHttpResult Stale(int current, int expected) =>
        current < 0
            ? TypedResults.Problem("Someone else changed it at the same moment; load it again.", statusCode: StatusCodes.Status412PreconditionFailed, title: "It has changed.")
            : TypedResults.Problem(
                $"It is at version {current}, not {expected}: load it again.",
                statusCode: StatusCodes.Status412PreconditionFailed,
                title: "It has changed.",
                extensions: new Dictionary<string, object?> { ["currentVersion"] = current });
}
