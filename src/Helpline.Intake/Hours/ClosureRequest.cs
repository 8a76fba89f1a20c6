using System.Text.Json.Serialization;
using Helpline.Intake.Calls;

namespace Helpline.Intake.Hours;

/// <summary>Body of <c>POST /api/closures</c>: a special closure. Times carry their offset; unknown properties are refused.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed record ClosureRequest : IValidatedRequest
{
    public static readonly TimeSpan MaxLength = TimeSpan.FromDays(31);

    public required DateTimeOffset StartsAt { get; init; }

    public required DateTimeOffset EndsAt { get; init; }

    public required string Reason { get; init; }

    public Dictionary<string, string[]> Validate(DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        if (EndsAt <= StartsAt)
        {
            errors["endsAt"] = ["Must be after startsAt."];
        }
        else if (EndsAt - StartsAt > MaxLength)
        {
            errors["endsAt"] = [$"A closure may last at most {MaxLength.TotalDays:0} days."];
        }
        else if (EndsAt <= now)
        {
            errors["endsAt"] = ["Must be in the future."];
        }

        if (string.IsNullOrWhiteSpace(Reason) || Reason.Length > Closure.MaxReasonLength || Reason.Any(char.IsControl))
        {
            errors["reason"] = [$"Must be 1 to {Closure.MaxReasonLength} characters on one line."];
        }

        return errors;
    }
}

/// <summary>A special closure as the API shows it.</summary>
internal sealed record ClosureView(Guid Id, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string Reason)
{
    public static ClosureView From(Closure closure) => new(closure.Id, closure.StartsAt, closure.EndsAt, closure.Reason);
}

/// <summary>Answer to <c>GET /api/opening-hours</c>.</summary>
internal sealed record OpeningHoursView(bool Open, DateTimeOffset? NextOpening, string Week);
