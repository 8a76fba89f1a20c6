using Helpline.Intake.Hours;
using Helpline.Intake.Web;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Opening hours (configuration) and special closures (data a supervisor edits without a restart).
/// The closures API has no authentication yet: supervisor sign-in comes with a later issue.
/// </summary>
internal static class OpeningHoursExtensions
{
    public static IHostApplicationBuilder AddOpeningHours(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<OpeningHoursOptions>(OpeningHoursOptions.Section);
        builder.Services.AddScoped<OpeningHoursService>();
        return builder;
    }

    public static WebApplication MapOpeningHours(this WebApplication app)
    {
        app.MapGet("/api/opening-hours", OpeningHoursEndpoints.GetOpeningHours)
            .WithTags("Opening hours")
            .WithName("GetOpeningHours")
            .WithSummary("Whether the helpline is open now, when it next opens, and the weekly hours")
            .AllowAnonymous();

        var closures = app.MapGroup("/api/closures").WithTags("Opening hours");
        closures.MapGet("/", OpeningHoursEndpoints.ListClosures)
            .WithName("ListClosures")
            .WithSummary("Special closures that have not ended yet, earliest first");
        closures.MapPost("/", OpeningHoursEndpoints.AddClosure)
            .WithName("AddClosure")
            .WithSummary("Add a special closure (calls in it are out of hours)")
            .ReadsJson<ClosureRequest>();
        closures.MapDelete("/{id:guid}", OpeningHoursEndpoints.RemoveClosure)
            .WithName("RemoveClosure")
            .WithSummary("Remove a special closure")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }
}
