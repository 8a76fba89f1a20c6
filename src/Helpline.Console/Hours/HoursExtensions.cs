using Helpline.Console.Accounts;
using Helpline.Console.Hours;

namespace Microsoft.Extensions.Hosting;

/// <summary>Special closures: supervisors manage them here; Intake applies them to calls (messages).</summary>
internal static class HoursExtensions
{
    public static WebApplication MapSpecialClosures(this WebApplication app)
    {
        var closures = app.MapGroup("/api/closures").WithTags("Opening hours").RequireAuthorization(Policies.Supervisor);
        closures.MapGet("/", ClosureEndpoints.List)
            .WithName("ListClosures")
            .WithSummary("Special closures that have not ended or been cancelled, earliest first");
        closures.MapPost("/", ClosureEndpoints.Add)
            .WithName("AddClosure")
            .WithSummary("Add a special closure (calls in it are out of hours); audited, sent to Intake")
            .ProducesValidationProblem();
        closures.MapDelete("/{id:guid}", ClosureEndpoints.Cancel)
            .WithName("CancelClosure")
            .WithSummary("Cancel a special closure; audited, sent to Intake")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }
}
