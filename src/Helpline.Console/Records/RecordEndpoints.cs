using System.Globalization;
using System.Security.Claims;
using Helpline.Console.Accounts;
using Helpline.Console.Audit;
using Helpline.Console.Data;
using Helpline.Console.Safety;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Helpline.Console.Records;

/// <summary>
/// The contact record (docs/api.md, "Contact record"): areas and the risk questionnaire to fill it
/// with, the record itself (autosaved whole, with optimistic concurrency on its revision), and the
/// caller's earlier contacts.
/// </summary>
internal static class RecordEndpoints
{
    public static Results<Ok<IReadOnlyList<AreaMatch>>, ProblemHttpResult> SearchAreas(string? q, AreaDirectory areas)
    {
        var query = q?.Trim() ?? "";
        if (query.Length is 0 or > AreaDirectory.MaxQueryLength)
        {
            return TypedResults.Problem(
                $"Give q, 1 to {AreaDirectory.MaxQueryLength} characters of a local authority or police force name.",
                statusCode: StatusCodes.Status400BadRequest,
                title: "The search is not valid.");
        }

        IReadOnlyList<AreaMatch> matches = areas.Search(query).Select(a => new AreaMatch(a.Kind, a.Code, a.Name, a.PoliceForceCode, a.PoliceForceName)).ToList();
        return TypedResults.Ok(matches);
    }

    public static Ok<RiskQuestionnaire> GetQuestionnaire(RiskScreening screening)
    {
        return TypedResults.Ok(screening.Current);
    }

    public static async Task<Results<Ok<RecordView>, NotFound>> GetRecord(
        Guid contactId, ClaimsPrincipal user, HttpResponse response, ContactRecords records, ConsoleDbContext db, CallerFlagReader flags, AuditTrail audit, CancellationToken cancellationToken)
    {
        if (await records.FindAsync(contactId, user, write: false, cancellationToken) is not { } contact)
        {
            return TypedResults.NotFound();
        }

        var view = records.ToView(contactId, await records.LoadAsync(contactId, cancellationToken)) with
        {
            CallerFlag = await flags.StandingAsync(db, contact.CallerKey, cancellationToken),
        };
        await audit.RecordAsync("record.read", contactId, cancellationToken: cancellationToken);
        response.Headers.ETag = ETag(view.Revision);
        return TypedResults.Ok(view);
    }

    public static async Task<Results<Ok<RecordView>, NotFound, ValidationProblem, ProblemHttpResult>> PutRecord(
        Guid contactId,
        RecordDraft draft,
        ClaimsPrincipal user,
        HttpRequest request,
        ContactRecords records,
        RecordValidator validator,
        ConsoleDbContext db,
        CallerFlagReader flags,
        AuditTrail audit,
        CancellationToken cancellationToken)
    {
        if (await records.FindAsync(contactId, user, write: true, cancellationToken) is not { } contact)
        {
            return TypedResults.NotFound();
        }

        if (ParseIfMatch(request.Headers.IfMatch.ToString()) is not { } expected)
        {
            return TypedResults.Problem(
                "Send If-Match with the revision the draft is based on (the ETag of GET …/record; \"0\" before the first save).",
                statusCode: StatusCodes.Status428PreconditionRequired,
                title: "If-Match is required.");
        }

        var (valid, errors) = validator.Validate(draft);
        if (valid is null)
        {
            return TypedResults.ValidationProblem(errors, title: "Some answers in the record are not valid.");
        }

        var result = await records.SaveAsync(contactId, ContactRecords.UserId(user), expected, valid, cancellationToken);
        request.HttpContext.Response.Headers.ETag = ETag(result.CurrentRevision);
        if (result.Saved is null)
        {
            return TypedResults.Problem(
                $"The record was saved elsewhere (another tab?) since revision {expected}; it is now at revision {result.CurrentRevision}.",
                statusCode: StatusCodes.Status412PreconditionFailed,
                title: "The record has changed.",
                extensions: new Dictionary<string, object?> { ["currentRevision"] = result.CurrentRevision });
        }

        await audit.RecordAsync("record.saved", contactId, detail: $"revision {result.CurrentRevision}", cancellationToken: cancellationToken);
        return TypedResults.Ok(records.ToView(contactId, result.Saved) with
        {
            CallerFlag = await flags.StandingAsync(db, contact.CallerKey, cancellationToken),
        });
    }

    /// <summary>
    /// The caller's earlier contacts. While a flag stands on the caller, advisors get none (HiddenByFlag)
    /// and a supervisor's read is audited.
    /// </summary>
    public static async Task<Results<Ok<ContactHistory>, NotFound>> GetHistory(
        Guid contactId, ClaimsPrincipal user, ContactRecords records, ConsoleDbContext db, CallerFlagReader flags, AuditTrail audit, CancellationToken cancellationToken)
    {
        if (await records.FindAsync(contactId, user, write: false, cancellationToken) is not { } contact)
        {
            return TypedResults.NotFound();
        }

        if (await flags.StandingAsync(db, contact.CallerKey, cancellationToken) is { } flag)
        {
            if (!user.IsInRole(Roles.Supervisor))
            {
                return TypedResults.Ok(new ContactHistory(false, 0, []) { HiddenByFlag = true });
            }

            await audit.RecordAsync("caller.flag.history.read", contactId, flag.FlagId.ToString(), cancellationToken: cancellationToken);
        }
        else
        {
            await audit.RecordAsync("record.history.read", contactId, cancellationToken: cancellationToken);
        }

        return TypedResults.Ok(await records.HistoryAsync(contact, cancellationToken));
    }

    private static string ETag(int revision) => $"\"{revision.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>Accepts <c>"3"</c>, <c>W/"3"</c> or <c>3</c>.</summary>
    private static int? ParseIfMatch(string header)
    {
        var value = header.Trim();
        if (value.StartsWith("W/", StringComparison.Ordinal))
        {
            value = value[2..];
        }

        value = value.Trim('"');
        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var revision) ? revision : null;
    }
}
