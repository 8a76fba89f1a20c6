using Helpline.Contracts;
using Helpline.Intake.Web;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Helpline.Intake.Calls;

/// <summary>The provider-neutral call API's handlers: a PBX bridge, a load generator or a test announces calls here.</summary>
internal static class CallsEndpoints
{
    public const string Provider = "api";
    public const int MaxBodyBytes = 16 * 1024;

    public static async Task<Results<Accepted<CallAccepted>, ProblemHttpResult, ValidationProblem>> ReceiveCall(
        HttpRequest request,
        CallStore calls,
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

        var callerKey = hasher.KeyFor(PhoneNumber.TryParse(body.CallerNumber, out var number) ? number : null);
        var recorded = await calls.RecordAsync(
            new NewCall(Provider, body.ProviderCallId, callerKey, body.DialledNumber, body.ReceivedAt ?? now, ProviderStatus: null),
            now,
            cancellationToken);
        return TypedResults.Accepted((string?)null, new CallAccepted(recorded.ContactId, recorded.Duplicate));
    }

    /// <summary>Before an answer the call is abandoned; after one it is completed by the caller. A repeat changes nothing.</summary>
    public static Task<Results<Ok<CallEventResult>, ProblemHttpResult, ValidationProblem>> CallerHungUp(
        string providerCallId, HttpRequest request, CallStore calls, IntakeMetrics metrics, TimeProvider time, CancellationToken cancellationToken) =>
        ApplyAsync<HangupRequest>(providerCallId, request, "The hang-up", (body, now) => new CallEvent.HungUp(body.At ?? now), NotAnswered, calls, metrics, time, cancellationToken);

    public static Task<Results<Ok<CallEventResult>, ProblemHttpResult, ValidationProblem>> CallEnded(
        string providerCallId, HttpRequest request, CallStore calls, IntakeMetrics metrics, TimeProvider time, CancellationToken cancellationToken) =>
        ApplyAsync<EndedRequest>(providerCallId, request, "The end of the call", (body, now) => new CallEvent.Ended(body.ParsedEndedBy, body.At ?? now), NotAnswered, calls, metrics, time, cancellationToken);

    public static Task<Results<Ok<CallEventResult>, ProblemHttpResult, ValidationProblem>> CallAnswered(
        string providerCallId, HttpRequest request, CallStore calls, IntakeMetrics metrics, TimeProvider time, CancellationToken cancellationToken) =>
        ApplyAsync<AnsweredRequest>(providerCallId, request, "The answer", (body, now) => new CallEvent.Answered(body.AdvisorId, body.At ?? now), NotConnecting, calls, metrics, time, cancellationToken);

    public static Task<Results<Ok<CallEventResult>, ProblemHttpResult, ValidationProblem>> ConnectFailed(
        string providerCallId, HttpRequest request, CallStore calls, IntakeMetrics metrics, TimeProvider time, CancellationToken cancellationToken) =>
        ApplyAsync<ConnectFailedRequest>(
            providerCallId,
            request,
            "The failed connection",
            (body, now) => new CallEvent.ConnectFailed(body.AdvisorId, $"The advisor's phone did not answer ({body.Reason}).", body.At ?? now),
            NotConnecting,
            calls,
            metrics,
            time,
            cancellationToken);

    /// <summary>
    /// Reads the body, applies the event it describes to the call, and answers with the call's state and
    /// whether the request changed it (a repeat does not); an event the call refuses is a 409.
    /// </summary>
    private static async Task<Results<Ok<CallEventResult>, ProblemHttpResult, ValidationProblem>> ApplyAsync<TBody>(
        string providerCallId,
        HttpRequest request,
        string subject,
        Func<TBody, DateTimeOffset, CallEvent> describe,
        Func<CallState, ProblemHttpResult> refused,
        CallStore calls,
        IntakeMetrics metrics,
        TimeProvider time,
        CancellationToken cancellationToken)
        where TBody : class, IValidatedRequest
    {
        var now = time.GetUtcNow();
        var read = await JsonBody.ReadValidAsync<TBody>(request, MaxBodyBytes, subject, metrics, now, cancellationToken);
        if (read.Value is not { } body)
        {
            return read.Unreadable is { } unreadable ? unreadable : read.Invalid!;
        }

        return await calls.ApplyAsync(Provider, providerCallId, describe(body, now), now, cancellationToken) switch
        {
            null => UnknownCall(),
            { Verdict: CallVerdict.Refused } change => refused(change.Stored.State),
            var change => TypedResults.Ok(new CallEventResult(change.Stored.Id, change.Stored.State, change.Verdict == CallVerdict.Applied)),
        };
    }

    private static ProblemHttpResult NotAnswered(CallState state) =>
        TypedResults.Problem(
            $"The call was never answered (it is {state}); a caller hanging up before an answer is POST /api/calls/{{providerCallId}}/hangup.",
            statusCode: StatusCodes.Status409Conflict,
            title: "The call is not answered.");

    private static ProblemHttpResult NotConnecting(CallState state) =>
        TypedResults.Problem(
            $"The call is not connecting to this advisor (it is {state}); only a call Console asked to connect (ConnectCall) to this advisor can be answered or fail to connect.",
            statusCode: StatusCodes.Status409Conflict,
            title: "The call is not connecting to this advisor.");

    public static ProblemHttpResult UnknownCall() =>
        TypedResults.Problem("No call with this providerCallId was announced on POST /api/calls.", statusCode: StatusCodes.Status404NotFound, title: "Unknown call.");
}

/// <summary>Answer to <c>POST /api/calls</c>: the contact id, and whether the call was already known.</summary>
internal sealed record CallAccepted(Guid ContactId, bool Duplicate);
