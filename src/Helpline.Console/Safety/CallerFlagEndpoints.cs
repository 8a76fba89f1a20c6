using System.Security.Claims;
using Helpline.Console.Advisors;
using Helpline.Console.Audit;
using Helpline.Console.Data;
using Helpline.Console.Records;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helpline.Console.Safety;

/// <summary>
/// Caller safety (docs/caller-safety.md): an advisor flags the caller of their contact as a suspected
/// perpetrator posing as a victim; supervisors review the flags. Every action is audited.
/// </summary>
internal static partial class CallerFlagEndpoints
{
    public static async Task<Results<Ok<CallerSafetyView>, NotFound>> Get(
        Guid contactId, ClaimsPrincipal user, ContactRecords records, ConsoleDbContext db, CallerFlagReader flags, CancellationToken cancellationToken)
    {
        if (await records.FindAsync(contactId, user, write: false, cancellationToken) is not { } contact)
        {
            return TypedResults.NotFound();
        }

        return TypedResults.Ok(new CallerSafetyView(contact.CallerKey is null, await flags.StandingAsync(db, contact.CallerKey, cancellationToken)));
    }

    public static async Task<Results<Created<CallerSafetyView>, NotFound, ValidationProblem, ProblemHttpResult>> Raise(
        Guid contactId,
        FlagRequest request,
        ClaimsPrincipal user,
        ContactRecords records,
        ConsoleDbContext db,
        CallerFlagReader flags,
        AuditTrail audit,
        IOptions<CallerFlagOptions> options,
        TimeProvider time,
        ILogger<CallerFlag> logger,
        CancellationToken cancellationToken)
    {
        if (await records.FindAsync(contactId, user, write: true, cancellationToken) is not { } contact)
        {
            return TypedResults.NotFound();
        }

        if (contact.CallerKey is null)
        {
            return TypedResults.Problem(
                "The caller withheld their number, so there is nothing to recognise them by on a later call: a withheld number cannot be flagged.",
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "A withheld number cannot be flagged.");
        }

        var reason = request.Reason?.Trim() ?? "";
        if (reason.Length is 0 or > CallerFlag.MaxReasonLength)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["reason"] = [$"Say why, in 1 to {CallerFlag.MaxReasonLength} characters."] },
                title: "The flag is not valid.");
        }

        if (await flags.StandingAsync(db, contact.CallerKey, cancellationToken) is { } standing)
        {
            return TypedResults.Problem(
                "This caller is already flagged; a supervisor reviews the flag that stands.",
                statusCode: StatusCodes.Status409Conflict,
                title: "The caller is already flagged.",
                extensions: new Dictionary<string, object?> { ["flagId"] = standing.FlagId });
        }

        var now = time.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        var flag = new CallerFlag
        {
            Id = id,
            CallerKey = contact.CallerKey,
            ContactId = contactId,
            EncryptedReason = flags.EncryptReason(id, reason),
            RaisedBy = ContactRecords.UserId(user),
            RaisedAt = now,
            ExpiresAt = now.AddDays(options.Value.ExpiryDays),
            Status = CallerFlagStatus.Pending,
        };
        db.CallerFlags.Add(flag);
        audit.Add("caller.flag.raised", contactId, id.ToString(), $"expires {flag.ExpiresAt:u}");
        await db.SaveChangesAsync(cancellationToken);
        LogRaised(logger, id, contactId, flag.RaisedBy);
        return TypedResults.Created($"/api/contacts/{contactId}/caller-flag", new CallerSafetyView(false, flags.Notice(flag)));
    }

    /// <summary>The flags that stand (pending review first, then confirmed), newest first; the read is audited.</summary>
    public static async Task<Ok<List<FlagReview>>> List(ConsoleDbContext db, CallerFlagReader flags, AuditTrail audit, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var standing = await db.CallerFlags.AsNoTracking()
            .Where(f => f.Status != CallerFlagStatus.Dismissed && f.ExpiresAt > now)
            .OrderBy(f => f.Status).ThenByDescending(f => f.RaisedAt)
            .Select(f => new
            {
                Flag = f,
                RaisedBy = db.Users.Where(u => u.Id == f.RaisedBy).Select(u => u.UserName).FirstOrDefault(),
                ReviewedBy = db.Users.Where(u => u.Id == f.ReviewedBy).Select(u => u.UserName).FirstOrDefault(),
                Later = db.Contacts.Count(c => c.CallerKey == f.CallerKey && c.ReceivedAt > f.RaisedAt),
            })
            .ToListAsync(cancellationToken);
        await audit.RecordAsync("caller.flags.listed", detail: $"{standing.Count} standing", cancellationToken: cancellationToken);
        return TypedResults.Ok(standing
            .Select(s => new FlagReview(
                s.Flag.Id, s.Flag.ContactId, flags.Reason(s.Flag), s.Flag.Status.ToString(), s.RaisedBy, s.Flag.RaisedAt, s.Flag.ExpiresAt, s.ReviewedBy, s.Flag.ReviewedAt, s.Later))
            .ToList());
    }

    /// <summary>Confirms or dismisses a standing flag; a dismissed flag stops applying at once.</summary>
    public static async Task<Results<Ok<CallerFlagNotice>, NotFound, ValidationProblem, ProblemHttpResult>> Review(
        Guid flagId,
        ReviewRequest request,
        ClaimsPrincipal user,
        ConsoleDbContext db,
        CallerFlagReader flags,
        AuditTrail audit,
        TimeProvider time,
        ILogger<CallerFlag> logger,
        CancellationToken cancellationToken)
    {
        if (!Enum.TryParse<CallerFlagStatus>(request.Decision, ignoreCase: false, out var decision)
            || decision is not (CallerFlagStatus.Confirmed or CallerFlagStatus.Dismissed))
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["decision"] = ["Give Confirmed or Dismissed."] },
                title: "The review is not valid.");
        }

        if (await db.CallerFlags.SingleOrDefaultAsync(f => f.Id == flagId, cancellationToken) is not { } flag)
        {
            return TypedResults.NotFound();
        }

        var now = time.GetUtcNow();
        if (!flag.StandsAt(now))
        {
            return TypedResults.Problem(
                "The flag was dismissed or has expired; it no longer applies and cannot be reviewed.",
                statusCode: StatusCodes.Status409Conflict,
                title: "The flag no longer stands.");
        }

        flag.Status = decision;
        flag.ReviewedBy = ContactRecords.UserId(user);
        flag.ReviewedAt = now;
        audit.Add(decision == CallerFlagStatus.Confirmed ? "caller.flag.confirmed" : "caller.flag.dismissed", flag.ContactId, flag.Id.ToString());
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return TypedResults.Problem(
                "Another supervisor reviewed the flag at the same moment; reload the list.",
                statusCode: StatusCodes.Status409Conflict,
                title: "The flag has changed.");
        }

        LogReviewed(logger, flag.Id, decision, flag.ReviewedBy.Value);
        return TypedResults.Ok(flags.Notice(flag));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Caller flag {FlagId} raised on contact {ContactId} by advisor {AdvisorId}")]
    private static partial void LogRaised(ILogger logger, Guid flagId, Guid contactId, Guid advisorId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Caller flag {FlagId} {Decision} by supervisor {SupervisorId}")]
    private static partial void LogReviewed(ILogger logger, Guid flagId, CallerFlagStatus decision, Guid supervisorId);
}
