using Helpline.Intake.Callbacks;
using Helpline.Intake.Integrations;
using Helpline.Intake.Web;
using Helpline.ServiceDefaults.Security;

namespace Microsoft.Extensions.Hosting;

/// <summary>Callback consent: the options, the encryption (its key checked at start, whether or not callbacks are enabled), and the provider-neutral door.</summary>
internal static class CallbacksExtensions
{
    public static IHostApplicationBuilder AddCallbacks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<CallbackOptions>().BindConfiguration(CallbackOptions.Section);
        builder.Services.AddFieldEncryption();
        builder.Services.AddScoped<CallbackRecorder>();
        builder.Services.AddScoped<CallbackNumbers>();
        return builder;
    }

    public static WebApplication MapCallbacks(this WebApplication app)
    {
        app.MapGroup("/api/calls").WithTags("Calls").RequireIntegrationScope(IntegrationScopes.Callbacks)
            .MapPost("/{providerCallId}/callback", CallbacksEndpoints.CallbackRequested)
            .WithName("CallbackRequested")
            .WithSummary("The caller consented to a callback")
            .WithDescription("For a call turned away as Overflow and offered a callback (Callbacks:Enabled, number not withheld): the number is stored encrypted and CallbackRequested (without the number) is published. A repeat changes nothing; a call not offered a callback is a 409. The number goes in the body, never the URL.")
            .ReadsJson<CallbackConsentRequest>(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        return app;
    }
}
