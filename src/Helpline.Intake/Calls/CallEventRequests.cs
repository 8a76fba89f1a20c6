using System.Text.Json.Serialization;
using Helpline.Contracts;

namespace Helpline.Intake.Calls;

/// <summary>Body of <c>POST /api/calls/{providerCallId}/hangup</c>: the caller hung up. Unknown properties are refused.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record HangupRequest : IValidatedRequest
{
    /// <summary>When the caller hung up; defaults to the time Intake records it.</summary>
    public DateTimeOffset? At { get; init; }

    public Dictionary<string, string[]> Validate(DateTimeOffset now) => CallEventTime.Validate(At, now);
}

/// <summary>Body of <c>POST /api/calls/{providerCallId}/ended</c>: an answered call ended. Unknown properties are refused.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record EndedRequest : IValidatedRequest
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

/// <summary>Answer to a lifecycle request: the call's state now, and whether this request changed it (false for a repeat).</summary>
public sealed record CallEventResult(Guid ContactId, CallState State, bool Changed);

internal static class CallEventTime
{
    public static Dictionary<string, string[]> Validate(DateTimeOffset? at, DateTimeOffset now) =>
        at > now.AddMinutes(5) ? new() { ["at"] = ["Must not be in the future."] } : [];
}
