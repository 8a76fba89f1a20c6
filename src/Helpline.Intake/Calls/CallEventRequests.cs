using System.Text.Json.Serialization;
using Helpline.Contracts;

namespace Helpline.Intake.Calls;

/// <summary>Body of <c>POST /api/calls/{providerCallId}/hangup</c>: the caller hung up. Unknown properties are refused.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed record HangupRequest : IValidatedRequest
{
    /// <summary>When the caller hung up; defaults to the time Intake records it.</summary>
    public DateTimeOffset? At { get; init; }

    public Dictionary<string, string[]> Validate(DateTimeOffset now) => CallEventTime.Validate(At, now);
}

/// <summary>Body of <c>POST /api/calls/{providerCallId}/ended</c>: an answered call ended. Unknown properties are refused.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed record EndedRequest : IValidatedRequest
{
    /// <summary>Who hung up: <c>Caller</c>, <c>Advisor</c> or <c>Provider</c> (the network ended it).</summary>
    public required string EndedBy { get; init; }

    public DateTimeOffset? At { get; init; }

    public CallEndedBy ParsedEndedBy => Enum.Parse<CallEndedBy>(EndedBy, ignoreCase: true);

    public Dictionary<string, string[]> Validate(DateTimeOffset now)
    {
        var errors = CallEventTime.Validate(At, now);
        if (!Enum.GetNames<CallEndedBy>().Contains(EndedBy, StringComparer.OrdinalIgnoreCase))
        {
            errors["endedBy"] = ["Must be Caller, Advisor or Provider."];
        }

        return errors;
    }
}

/// <summary>Body of <c>POST /api/calls/{providerCallId}/answered</c>: the advisor's phone picked up. Unknown properties are refused.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed record AnsweredRequest : IValidatedRequest
{
    /// <summary>The advisor the call was connecting to (<c>ConnectCall.AdvisorId</c>, as the bridge was told on <c>/connect</c>).</summary>
    public required Guid AdvisorId { get; init; }

    /// <summary>When the advisor picked up; defaults to the time Intake records it.</summary>
    public DateTimeOffset? At { get; init; }

    public Dictionary<string, string[]> Validate(DateTimeOffset now)
    {
        var errors = CallEventTime.Validate(At, now);
        if (AdvisorId == Guid.Empty)
        {
            errors["advisorId"] = ["Must be the advisor the call is connecting to."];
        }

        return errors;
    }
}

/// <summary>Body of <c>POST /api/calls/{providerCallId}/connect-failed</c>: the advisor's phone did not answer. Unknown properties are refused.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed record ConnectFailedRequest : IValidatedRequest
{
    private static readonly string[] Reasons = ["busy", "no-answer", "failed"];

    public required Guid AdvisorId { get; init; }

    /// <summary>Why: <c>busy</c>, <c>no-answer</c> or <c>failed</c> (a fixed word, so no free text reaches the advisor).</summary>
    public required string Reason { get; init; }

    public DateTimeOffset? At { get; init; }

    public Dictionary<string, string[]> Validate(DateTimeOffset now)
    {
        var errors = CallEventTime.Validate(At, now);
        if (AdvisorId == Guid.Empty)
        {
            errors["advisorId"] = ["Must be the advisor the call is connecting to."];
        }

        if (!Reasons.Contains(Reason, StringComparer.Ordinal))
        {
            errors["reason"] = ["Must be busy, no-answer or failed."];
        }

        return errors;
    }
}

/// <summary>Answer to a lifecycle request: the call's state now, and whether this request changed it (false for a repeat).</summary>
internal sealed record CallEventResult(Guid ContactId, CallState State, bool Changed);

internal static class CallEventTime
{
    public static Dictionary<string, string[]> Validate(DateTimeOffset? at, DateTimeOffset now) =>
        at > now.AddMinutes(5) ? new() { ["at"] = ["Must not be in the future."] } : [];
}
