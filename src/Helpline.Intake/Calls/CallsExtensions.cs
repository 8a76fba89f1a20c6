using Helpline.Intake.Calls;

namespace Microsoft.Extensions.Hosting;

/// <summary>The provider-neutral call API: a PBX bridge, a load generator or a test announces calls here.</summary>
internal static class CallsExtensions
{
    public static IHostApplicationBuilder AddCalls(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<CallerIdentityOptions>()
            .BindConfiguration(CallerIdentityOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<CallOptions>()
            .BindConfiguration(CallOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<CallerKeyHasher>();
        builder.Services.AddScoped<CallRecorder>();
        builder.Services.AddScoped<CallLifecycle>();
        return builder;
    }

    /// <remarks>
    /// The body is read by <see cref="JsonBody"/> rather than declared with <c>Accepts</c>, so that a
    /// wrong content type is a 400 problem like every other unreadable body (not a bare 415 from routing);
    /// the OpenAPI request body is described by hand.
    /// </remarks>
    public static WebApplication MapCalls(this WebApplication app)
    {
        var calls = app.MapGroup("/api/calls").WithTags("Calls");
        calls.MapPost("/", CallsEndpoints.ReceiveCall)
            .WithName("ReceiveCall")
            .WithSummary("Announce an incoming call")
            .WithDescription("Stores the call and queues it for Console. 202 is sent only once the call is committed; the same providerCallId again answers the same contactId.")
            .AddOpenApiOperationTransformer(JsonBody.Describe<CallRequest>)
            .ProducesProblem(StatusCodes.Status400BadRequest);
        calls.MapPost("/{providerCallId}/hangup", CallsEndpoints.CallerHungUp)
            .WithName("CallerHungUp")
            .WithSummary("The caller hung up")
            .WithDescription("Before an answer the call is Abandoned (CallerHungUp is published); after an answer it is Completed, ended by the caller (CallEnded). A repeat changes nothing.")
            .AddOpenApiOperationTransformer(JsonBody.Describe<HangupRequest>)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        calls.MapPost("/{providerCallId}/ended", CallsEndpoints.CallEnded)
            .WithName("CallEnded")
            .WithSummary("An answered call ended")
            .WithDescription("The call is Completed and CallEnded is published with who hung up. A repeat changes nothing; a call that was never answered is a 409.")
            .AddOpenApiOperationTransformer(JsonBody.Describe<EndedRequest>)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        calls.MapPost("/{providerCallId}/answered", CallsEndpoints.CallAnswered)
            .WithName("CallAnswered")
            .WithSummary("The advisor's phone picked up")
            .WithDescription("A call connecting to this advisor (ConnectCall) becomes Answered and CallConnected is published. The same advisor again changes nothing; a call not connecting to this advisor is a 409.")
            .AddOpenApiOperationTransformer(JsonBody.Describe<AnsweredRequest>)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        calls.MapPost("/{providerCallId}/connect-failed", CallsEndpoints.ConnectFailed)
            .WithName("CallConnectFailed")
            .WithSummary("The advisor's phone did not answer")
            .WithDescription("A call connecting to this advisor goes back to the queue with its place and CallConnectFailed is published. A call already back in the queue (a repeat) changes nothing; one connecting to another advisor, answered or ended is a 409.")
            .AddOpenApiOperationTransformer(JsonBody.Describe<ConnectFailedRequest>)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }
}
