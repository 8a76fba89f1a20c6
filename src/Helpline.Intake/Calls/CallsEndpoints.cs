using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Helpline.Intake.Calls;

/// <summary>The provider-neutral call API's handlers: a PBX bridge, a load generator or a test announces calls here.</summary>
internal static class CallsEndpoints
{
    public const string Provider = "api";
    public const int MaxBodyBytes = 16 * 1024;

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
