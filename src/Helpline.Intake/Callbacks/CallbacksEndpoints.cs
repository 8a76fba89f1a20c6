using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Helpline.Intake.Calls;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Helpline.Intake.Callbacks;

/// <summary>Callback consent through the provider-neutral door.</summary>
internal static class CallbacksEndpoints
{

    public static async Task<Results<Ok<CallEventResult>, ProblemHttpResult, ValidationProblem>> CallbackRequested(
        string providerCallId,
        HttpRequest request,
        CallbackRecorder recorder,
        IntakeMetrics metrics,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var read = await JsonBody.ReadValidAsync<CallbackConsentRequest>(request, CallsEndpoints.MaxBodyBytes, "The callback consent", metrics, now, cancellationToken);
        if (read.Value is not { } body)
        {
            return read.Unreadable is { } unreadable ? unreadable : read.Invalid!;
        }

        var (outcome, contactId) = await recorder.RecordAsync(CallsEndpoints.Provider, providerCallId, body.CallbackNumber, body.At ?? now, now, cancellationToken);
        return outcome switch
        {
            CallbackOutcome.UnknownCall => TypedResults.Problem("No call with this providerCallId was announced on POST /api/calls.", statusCode: StatusCodes.Status404NotFound, title: "Unknown call."),
            CallbackOutcome.NotOffered => TypedResults.Problem(
                "A callback is offered only when Callbacks:Enabled, to a call turned away as Overflow whose number was not withheld.",
                statusCode: StatusCodes.Status409Conflict,
                title: "No callback was offered on this call."),
            _ => TypedResults.Ok(new CallEventResult(contactId!.Value, CallState.Overflow, outcome == CallbackOutcome.Recorded)),
        };
    }
}

/// <summary>Body of <c>POST /api/calls/{providerCallId}/callback</c>. Unknown properties are refused.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed partial record CallbackConsentRequest : IValidatedRequest
{
    /// <summary>The number to call back, E.164. Stored only encrypted; never echoed, logged or published.</summary>
    public required string CallbackNumber { get; init; }

    /// <summary>When the caller consented; defaults to the time Intake records it.</summary>
    public DateTimeOffset? At { get; init; }

    public Dictionary<string, string[]> Validate(DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        if (!E164Pattern().IsMatch(CallbackNumber))
        {
            errors["callbackNumber"] = ["Must be an E.164 number such as +447700900123."];
        }

        if (At > now.AddMinutes(5))
        {
            errors["at"] = ["Must not be in the future."];
        }

        return errors;
    }

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$")]
    private static partial Regex E164Pattern();
}
