using System.Security.Claims;
using Helpline.Console.Audit;
using Helpline.Console.Data;
using Helpline.Console.Records;
using Helpline.Contracts;
using Helpline.ServiceDefaults.Outbox;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Helpline.Console.Hours;

/// <summary>
/// Special closures, managed by supervisors: each change is audited and reaches Intake through the
/// outbox (saved in the same transaction as the change and its audit entry).
/// </summary>
internal static class ClosureEndpoints
{
    public static readonly TimeSpan MaxLength = TimeSpan.FromDays(31);

    public static async Task<Ok<List<ClosureView>>> List(ConsoleDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var closures = await db.SpecialClosures.AsNoTracking()
            .Where(c => c.EndsAt > now && c.CancelledAt == null)
            .OrderBy(c => c.StartsAt)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(closures.Select(ClosureView.From).ToList());
    }

    public static async Task<Results<Created<ClosureView>, ValidationProblem>> Add(
        ClosureRequest request, ClaimsPrincipal user, ConsoleDbContext db, AuditTrail audit, OutboxSignal outbox, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (request.Validate(now) is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(errors, title: "The closure is not valid.");
        }

        var closure = new SpecialClosure
        {
            Id = Guid.CreateVersion7(now),
            StartsAt = request.StartsAt!.Value.ToUniversalTime(),
            EndsAt = request.EndsAt!.Value.ToUniversalTime(),
            Reason = request.Reason!.Trim(),
            CreatedBy = ContactRecords.UserId(user),
            CreatedAt = now,
        };
        db.SpecialClosures.Add(closure);
        db.OutboxMessages.Add(OutboxMessage.Publish(
            new SpecialClosureScheduled { ClosureId = closure.Id, StartsAt = closure.StartsAt, EndsAt = closure.EndsAt, Reason = closure.Reason },
            now));
        audit.Add("SpecialClosureAdded", target: closure.Id.ToString(), detail: $"{closure.StartsAt:u} to {closure.EndsAt:u}");
        await db.SaveChangesAsync(cancellationToken);
        outbox.Notify();
        return TypedResults.Created($"/api/closures/{closure.Id}", ClosureView.From(closure));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Cancel(
        Guid id, ClaimsPrincipal user, ConsoleDbContext db, AuditTrail audit, OutboxSignal outbox, TimeProvider time, CancellationToken cancellationToken)
    {
        var closure = await db.SpecialClosures.SingleOrDefaultAsync(c => c.Id == id && c.CancelledAt == null, cancellationToken);
        if (closure is null)
        {
            return TypedResults.Problem("There is no closure with this id, or it was cancelled already.", statusCode: StatusCodes.Status404NotFound, title: "No such closure.");
        }

        var now = time.GetUtcNow();
        closure.CancelledAt = now;
        closure.CancelledBy = ContactRecords.UserId(user);
        db.OutboxMessages.Add(OutboxMessage.Publish(
            new SpecialClosureCancelled { ClosureId = closure.Id, StartsAt = closure.StartsAt, EndsAt = closure.EndsAt, Reason = closure.Reason, CancelledAt = now },
            now));
        audit.Add("SpecialClosureCancelled", target: closure.Id.ToString());
        await db.SaveChangesAsync(cancellationToken);
        outbox.Notify();
        return TypedResults.NoContent();
    }
}

/// <summary>Body of <c>POST /api/closures</c>: times carry their offset.</summary>
internal sealed record ClosureRequest(DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, string? Reason)
{
    public Dictionary<string, string[]> Validate(DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        if (StartsAt is not { } starts || EndsAt is not { } ends)
        {
            errors["startsAt"] = ["Give startsAt and endsAt, with their offset."];
        }
        else if (ends <= starts)
        {
            errors["endsAt"] = ["Must be after startsAt."];
        }
        else if (ends - starts > ClosureEndpoints.MaxLength)
        {
            errors["endsAt"] = [$"A closure may last at most {ClosureEndpoints.MaxLength.TotalDays:0} days."];
        }
        else if (ends <= now)
        {
            errors["endsAt"] = ["Must be in the future."];
        }

        if (string.IsNullOrWhiteSpace(Reason) || Reason.Trim().Length > SpecialClosure.MaxReasonLength || Reason.Any(char.IsControl))
        {
            errors["reason"] = [$"Must be 1 to {SpecialClosure.MaxReasonLength} characters on one line."];
        }

        return errors;
    }
}

/// <summary>A special closure as the API shows it.</summary>
internal sealed record ClosureView(Guid Id, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string Reason)
{
    public static ClosureView From(SpecialClosure closure) => new(closure.Id, closure.StartsAt, closure.EndsAt, closure.Reason);
}
