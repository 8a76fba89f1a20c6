using Helpline.Console.Accounts;
using Helpline.Console.Safety;

namespace Microsoft.Extensions.Hosting;

internal static class SafetyExtensions
{
    /// <summary>Caller safety: flags on callers suspected of being perpetrators posing as victims.</summary>
    public static IHostApplicationBuilder AddCallerSafety(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<CallerFlagOptions>(CallerFlagOptions.Section);
        builder.Services.AddSingleton<CallerFlagReader>();
        return builder;
    }

    /// <summary>Caller safety (docs/caller-safety.md): a contact's flag, raising one, and the supervisors' review.</summary>
    public static WebApplication MapCallerSafety(this WebApplication app)
    {
        var api = app.MapGroup("/api").WithTags("Caller safety");
        var contact = api.MapGroup("/contacts/{contactId:guid}/caller-flag");
        contact.MapGet("", CallerFlagEndpoints.Get)
            .RequireAuthorization(Policies.AdvisorOrSupervisor)
            .WithName("GetCallerFlag")
            .WithSummary("Whether the contact's number was withheld, and the flag standing on its caller (or null)");
        contact.MapPost("", CallerFlagEndpoints.Raise)
            .RequireAuthorization(Policies.Advisor)
            .WithName("RaiseCallerFlag")
            .WithSummary("Flags the contact's caller (by the keyed hash of the number) as a suspected perpetrator posing as a victim; 422 for a withheld number");
        var flags = api.MapGroup("/caller-flags");
        flags.MapGet("", CallerFlagEndpoints.List)
            .RequireAuthorization(Policies.Supervisor)
            .WithName("ListCallerFlags")
            .WithSummary("The flags that stand, pending review first");
        flags.MapPost("/{flagId:guid}/review", CallerFlagEndpoints.Review)
            .RequireAuthorization(Policies.Supervisor)
            .WithName("ReviewCallerFlag")
            .WithSummary("Confirms or dismisses a standing flag (decision: Confirmed or Dismissed)");
        return app;
    }
}
