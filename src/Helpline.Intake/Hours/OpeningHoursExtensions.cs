using Helpline.Intake.Calls;
using Helpline.Intake.Hours;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Opening hours (configuration) and special closures (data a supervisor edits without a restart).
/// The closures API has no authentication yet: supervisor sign-in comes with a later issue.
/// </summary>
internal static class OpeningHoursExtensions
{
    public static IHostApplicationBuilder AddOpeningHours(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<OpeningHoursOptions>()
            .BindConfiguration(OpeningHoursOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddScoped<OpeningHoursService>();
        return builder;
    }

    public static WebApplication MapOpeningHours(this WebApplication app)
    {
        app.MapGet("/api/opening-hours", OpeningHoursEndpoints.GetOpeningHours)
            .WithTags("Opening hours")
            .WithName("GetOpeningHours")
            .WithSummary("Whether the helpline is open now, when it next opens, and the weekly hours");

        var closures = app.MapGroup("/api/closures").WithTags("Opening hours");
        closures.MapGet("/", OpeningHoursEndpoints.ListClosures)
            .WithName("ListClosures")
            .WithSummary("Special closures that have not ended yet, earliest first");
        closures.MapPost("/", OpeningHoursEndpoints.AddClosure)
            .WithName("AddClosure")
            .WithSummary("Add a special closure (calls in it are out of hours)")
            .AddOpenApiOperationTransformer(JsonBody.Describe<ClosureRequest>)
            .ProducesProblem(StatusCodes.Status400BadRequest);
        closures.MapDelete("/{id:guid}", OpeningHoursEndpoints.RemoveClosure)
            .WithName("RemoveClosure")
            .WithSummary("Remove a special closure")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }
}
