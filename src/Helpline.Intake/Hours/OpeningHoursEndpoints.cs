using Helpline.Intake.Calls;
using Helpline.Intake.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Helpline.Intake.Hours;

/// <summary>
/// Opening hours (configuration) and special closures (data a supervisor edits without a restart).
/// The closures API has no authentication yet: supervisor sign-in comes with a later issue.
/// </summary>
internal static partial class OpeningHoursEndpoints
{
    public const int MaxBodyBytes = 4 * 1024;

    public static async Task<Ok<OpeningHoursView>> GetOpeningHours(OpeningHoursService hours, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var calculator = await hours.ForAsync(now, cancellationToken);
        return TypedResults.Ok(new OpeningHoursView(calculator.IsOpen(now), calculator.NextOpening(now), calculator.DescribeWeek()));
    }

    public static async Task<Ok<List<ClosureView>>> ListClosures(IntakeDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var closures = await db.Closures.AsNoTracking().Where(c => c.EndsAt > now).OrderBy(c => c.StartsAt).ToListAsync(cancellationToken);
        return TypedResults.Ok(closures.Select(ClosureView.From).ToList());
    }

    public static async Task<Results<Created<ClosureView>, ProblemHttpResult, ValidationProblem>> AddClosure(
        HttpRequest request,
        IntakeDbContext db,
        TimeProvider time,
        IntakeMetrics metrics,
        ILogger<Closure> logger,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var read = await JsonBody.ReadValidAsync<ClosureRequest>(request, MaxBodyBytes, "The closure", metrics, now, cancellationToken);
        if (read.Value is not { } body)
        {
            return read.Unreadable is { } unreadable ? unreadable : read.Invalid!;
        }

        var closure = new Closure
        {
            Id = Guid.CreateVersion7(now),
            StartsAt = body.StartsAt.ToUniversalTime(),
            EndsAt = body.EndsAt.ToUniversalTime(),
            Reason = body.Reason.Trim(),
            CreatedAt = now,
        };
        db.Closures.Add(closure);
        await db.SaveChangesAsync(cancellationToken);
        LogAdded(logger, closure.Id, closure.StartsAt, closure.EndsAt);
        return TypedResults.Created($"/api/closures/{closure.Id}", ClosureView.From(closure));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RemoveClosure(Guid id, IntakeDbContext db, ILogger<Closure> logger, CancellationToken cancellationToken)
    {
        var removed = await db.Closures.Where(c => c.Id == id).ExecuteDeleteAsync(cancellationToken);
        if (removed == 0)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such closure.");
        }

        LogRemoved(logger, id);
        return TypedResults.NoContent();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Special closure {ClosureId} added from {StartsAt} to {EndsAt}")]
    private static partial void LogAdded(ILogger logger, Guid closureId, DateTimeOffset startsAt, DateTimeOffset endsAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Special closure {ClosureId} removed")]
    private static partial void LogRemoved(ILogger logger, Guid closureId);
}
