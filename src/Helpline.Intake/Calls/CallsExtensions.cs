using Helpline.Intake.Callbacks;
using Helpline.Intake.Calls;
using Helpline.Intake.Integrations;
using Helpline.Intake.Web;
using Helpline.ServiceDefaults.Security;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>The provider-neutral call API: a PBX bridge, a load generator or a test announces calls here.</summary>
internal static class CallsExtensions
{
    public static IHostApplicationBuilder AddCalls(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<CallerIdentityOptions>(CallerIdentityOptions.Section);
        builder.Services.AddSecretKeyCheck<CallerIdentityOptions>($"{CallerIdentityOptions.Section}:HashKey", o => o.HashKey);
        builder.Services.AddValidatedOptions<CallOptions>(CallOptions.Section);
        builder.Services.AddSingleton<CallerKeyHasher>();
        builder.Services.AddSingleton(services => new CallRules(
            services.GetRequiredService<IOptions<CallOptions>>().Value.ShortAbandonThreshold,
            services.GetRequiredService<IOptions<CallbackOptions>>().Value.Enabled));
        builder.Services.AddSingleton<CallLifecycle>();
        builder.Services.AddSingleton<NewCallWriter>();
        builder.Services.AddScoped<CallStore>();
        return builder;
    }

    public static WebApplication MapCalls(this WebApplication app)
    {
        var calls = app.MapGroup("/api/calls").WithTags("Calls").RequireIntegrationScope(IntegrationScopes.Calls);
        calls.MapPost("/", CallsEndpoints.ReceiveCall)
            .WithName("ReceiveCall")
            .WithSummary("Announce an incoming call")
            .WithDescription("Stores the call and queues it for Console. 202 is sent only once the call is committed; the same providerCallId again answers the same contactId.")
            .ReadsJson<CallRequest>();
        calls.MapPost("/{providerCallId}/hangup", CallsEndpoints.CallerHungUp)
            .WithName("CallerHungUp")
            .WithSummary("The caller hung up")
            .WithDescription("Before an answer the call is Abandoned (CallerHungUp is published); after an answer it is Completed, ended by the caller (CallEnded). A repeat changes nothing.")
            .ReadsJson<HangupRequest>(StatusCodes.Status404NotFound);
        calls.MapPost("/{providerCallId}/ended", CallsEndpoints.CallEnded)
            .WithName("CallEnded")
            .WithSummary("An answered call ended")
            .WithDescription("The call is Completed and CallEnded is published with who hung up. A repeat changes nothing; a call that was never answered is a 409.")
            .ReadsJson<EndedRequest>(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        calls.MapPost("/{providerCallId}/answered", CallsEndpoints.CallAnswered)
            .WithName("CallAnswered")
            .WithSummary("The advisor's phone picked up")
            .WithDescription("A call connecting to this advisor (ConnectCall) becomes Answered and CallConnected is published. The same advisor again changes nothing; a call not connecting to this advisor is a 409.")
            .ReadsJson<AnsweredRequest>(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        calls.MapPost("/{providerCallId}/connect-failed", CallsEndpoints.ConnectFailed)
            .WithName("CallConnectFailed")
            .WithSummary("The advisor's phone did not answer")
            .WithDescription("A call connecting to this advisor goes back to the queue with its place and CallConnectFailed is published. A call already back in the queue (a repeat) changes nothing; one connecting to another advisor, answered or ended is a 409.")
            .ReadsJson<ConnectFailedRequest>(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        return app;
    }
}
