using Helpline.Intake;
using Helpline.Intake.Calls;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Microsoft.Extensions.Hosting;

/// <summary>The provider-neutral call API: a PBX bridge, a load generator or a test announces calls here.</summary>
internal static class CallsEndpoints
{
    public const string Provider = "api";
    public const int MaxBodyBytes = 16 * 1024;

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
        calls.MapPost("/", ReceiveCall)
            .WithName("ReceiveCall")
            .WithSummary("Announce an incoming call")
            .WithDescription("Stores the call and queues it for Console. 202 is sent only once the call is committed; the same providerCallId again answers the same contactId.")
            .AddOpenApiOperationTransformer(JsonRequestBody<CallRequest>)
            .ProducesProblem(StatusCodes.Status400BadRequest);
        calls.MapPost("/{providerCallId}/hangup", CallerHungUp)
            .WithName("CallerHungUp")
            .WithSummary("The caller hung up")
            .WithDescription("Before an answer the call is Abandoned (CallerHungUp is published); after an answer it is Completed, ended by the caller (CallEnded). A repeat changes nothing.")
            .AddOpenApiOperationTransformer(JsonRequestBody<HangupRequest>)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        calls.MapPost("/{providerCallId}/ended", CallEnded)
            .WithName("CallEnded")
            .WithSummary("An answered call ended")
            .WithDescription("The call is Completed and CallEnded is published with who hung up. A repeat changes nothing; a call that was never answered is a 409.")
            .AddOpenApiOperationTransformer(JsonRequestBody<EndedRequest>)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        calls.MapPost("/{providerCallId}/answered", CallAnswered)
            .WithName("CallAnswered")
            .WithSummary("The advisor's phone picked up")
            .WithDescription("A call connecting to this advisor (ConnectCall) becomes Answered and CallConnected is published. The same advisor again changes nothing; a call not connecting to this advisor is a 409.")
            .AddOpenApiOperationTransformer(JsonRequestBody<AnsweredRequest>)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        calls.MapPost("/{providerCallId}/connect-failed", ConnectFailed)
            .WithName("CallConnectFailed")
            .WithSummary("The advisor's phone did not answer")
            .WithDescription("A call connecting to this advisor goes back to the queue with its place and CallConnectFailed is published. A call already back in the queue (a repeat) changes nothing; one connecting to another advisor, answered or ended is a 409.")
            .AddOpenApiOperationTransformer(JsonRequestBody<ConnectFailedRequest>)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    /// <summary>Describes a body read by <see cref="JsonBody"/> in the OpenAPI document.</summary>
    public static async Task JsonRequestBody<T>(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken) =>
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(typeof(T), null, cancellationToken) },
            },
        };

    public static async Task<Results<Accepted<CallAccepted>, ProblemHttpResult, ValidationProblem>> ReceiveCall(
        HttpRequest request,
        CallRecorder recorder,
        CallerKeyHasher hasher,
        IntakeMetrics metrics,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var read = await JsonBody.ReadValidAsync<CallRequest>(request, MaxBodyBytes, "The call", metrics, now, cancellationToken);
        if (read.Value is not { } body)
        {
            return read.Unreadable is { } unreadable ? unreadable : read.Invalid!;
        }

        var recorded = await recorder.RecordAsync(
            new NewCall(Provider, body.ProviderCallId, hasher.KeyFor(body.CallerNumber), body.DialledNumber, body.ReceivedAt ?? now, ProviderStatus: null, InHours: true),
            now,
            cancellationToken);
        return TypedResults.Accepted((string?)null, new CallAccepted(recorded.ContactId, recorded.Duplicate));
    }

    public static async Task<Results<Ok<CallEventResult>, ProblemHttpResult, ValidationProblem>> CallerHungUp(
        string providerCallId,
        HttpRequest request,
        CallLifecycle lifecycle,
        IOptions<CallOptions> options,
        IntakeMetrics metrics,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var read = await JsonBody.ReadValidAsync<HangupRequest>(request, MaxBodyBytes, "The hang-up", metrics, now, cancellationToken);
        if (read.Value is not { } body)
        {
            return read.Unreadable is { } unreadable ? unreadable : read.Invalid!;
        }

        var change = await lifecycle.UpdateAsync(Provider, providerCallId, call => CallTransitions.CallerHungUp(call, body.At ?? now, options.Value.ShortAbandonThreshold), now, cancellationToken);
        return change is null
            ? UnknownCall()
            : TypedResults.Ok(new CallEventResult(change.Call.Id, change.Call.State, change.Published is not null));
    }

    public static async Task<Results<Ok<CallEventResult>, ProblemHttpResult, ValidationProblem>> CallEnded(
        string providerCallId,
        HttpRequest request,
        CallLifecycle lifecycle,
        IntakeMetrics metrics,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var read = await JsonBody.ReadValidAsync<EndedRequest>(request, MaxBodyBytes, "The end of the call", metrics, now, cancellationToken);
        if (read.Value is not { } body)
        {
            return read.Unreadable is { } unreadable ? unreadable : read.Invalid!;
        }

        var change = await lifecycle.UpdateAsync(Provider, providerCallId, call => CallTransitions.Ended(call, body.ParsedEndedBy, body.At ?? now), now, cancellationToken);
        if (change is null)
        {
            return UnknownCall();
        }

        if (change.Published is null && change.Call.State != CallState.Completed)
        {
            return TypedResults.Problem(
                $"The call was never answered (it is {change.Call.State}); a caller hanging up before an answer is POST /api/calls/{{providerCallId}}/hangup.",
                statusCode: StatusCodes.Status409Conflict,
                title: "The call is not answered.");
        }

        return TypedResults.Ok(new CallEventResult(change.Call.Id, change.Call.State, change.Published is not null));
    }

    public static async Task<Results<Ok<CallEventResult>, ProblemHttpResult, ValidationProblem>> CallAnswered(
        string providerCallId,
        HttpRequest request,
        CallLifecycle lifecycle,
        IntakeMetrics metrics,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var read = await JsonBody.ReadValidAsync<AnsweredRequest>(request, MaxBodyBytes, "The answer", metrics, now, cancellationToken);
        if (read.Value is not { } body)
        {
            return read.Unreadable is { } unreadable ? unreadable : read.Invalid!;
        }

        var change = await lifecycle.UpdateAsync(Provider, providerCallId, call => CallTransitions.Answered(call, body.AdvisorId, body.At ?? now), now, cancellationToken);
        if (change is null)
        {
            return UnknownCall();
        }

        if (change.Published is null && !(change.Call.State == CallState.Answered && change.Call.AdvisorId == body.AdvisorId))
        {
            return NotConnecting(change.Call.State);
        }

        return TypedResults.Ok(new CallEventResult(change.Call.Id, change.Call.State, change.Published is not null));
    }

    public static async Task<Results<Ok<CallEventResult>, ProblemHttpResult, ValidationProblem>> ConnectFailed(
        string providerCallId,
        HttpRequest request,
        CallLifecycle lifecycle,
        IntakeMetrics metrics,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var read = await JsonBody.ReadValidAsync<ConnectFailedRequest>(request, MaxBodyBytes, "The failed connection", metrics, now, cancellationToken);
        if (read.Value is not { } body)
        {
            return read.Unreadable is { } unreadable ? unreadable : read.Invalid!;
        }

        var change = await lifecycle.UpdateAsync(
            Provider,
            providerCallId,
            call => CallTransitions.ConnectFailed(call, body.AdvisorId, $"The advisor's phone did not answer ({body.Reason}).", body.At ?? now),
            now,
            cancellationToken);
        if (change is null)
        {
            return UnknownCall();
        }

        return change.Published is null && change.Call.State != CallState.Queued
            ? NotConnecting(change.Call.State)
            : TypedResults.Ok(new CallEventResult(change.Call.Id, change.Call.State, change.Published is not null));
    }

    private static ProblemHttpResult NotConnecting(CallState state) =>
        TypedResults.Problem(
            $"The call is not connecting to this advisor (it is {state}); only a call Console asked to connect (ConnectCall) to this advisor can be answered or fail to connect.",
            statusCode: StatusCodes.Status409Conflict,
            title: "The call is not connecting to this advisor.");

    private static ProblemHttpResult UnknownCall() =>
        TypedResults.Problem("No call with this providerCallId was announced on POST /api/calls.", statusCode: StatusCodes.Status404NotFound, title: "Unknown call.");
}

/// <summary>Answer to <c>POST /api/calls</c>: the contact id, and whether the call was already known.</summary>
internal sealed record CallAccepted(Guid ContactId, bool Duplicate);
