using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Helpline.Intake.Calls;

/// <summary>
/// Body of <c>POST /api/calls</c>, the provider-neutral way to announce an incoming call.
/// Every property must be present (<c>callerNumber</c> may be null: a withheld number); unknown
/// properties are refused.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed partial record CallRequest : IValidatedRequest
{
    public const int MaxProviderCallIdLength = 128;

    /// <summary>The provider's id for the call; the same id again is the same call.</summary>
    public required string ProviderCallId { get; init; }

    /// <summary>Caller's number in E.164 (<c>+447700900123</c>), or null when withheld.</summary>
    public required string? CallerNumber { get; init; }

    /// <summary>The helpline number that was dialled, in E.164.</summary>
    public required string DialledNumber { get; init; }

    /// <summary>When the provider received the call; defaults to the time Intake stores it.</summary>
    public DateTimeOffset? ReceivedAt { get; init; }

    public Dictionary<string, string[]> Validate(DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        if (!ProviderCallIdPattern().IsMatch(ProviderCallId))
        {
            errors["providerCallId"] = [$"Must be 1 to {MaxProviderCallIdLength} visible ASCII characters."];
        }

        if (CallerNumber is not null && !E164Pattern().IsMatch(CallerNumber))
        {
            errors["callerNumber"] = ["Must be an E.164 number such as +447700900123, or null when withheld."];
        }

        if (!E164Pattern().IsMatch(DialledNumber))
        {
            errors["dialledNumber"] = ["Must be an E.164 number such as +448088020300."];
        }

        if (ReceivedAt > now.AddMinutes(5))
        {
            errors["receivedAt"] = ["Must not be in the future."];
        }

        return errors;
    }

    [GeneratedRegex(@"^[\x21-\x7E]{1,128}$")]
    private static partial Regex ProviderCallIdPattern();

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$")]
    private static partial Regex E164Pattern();
}
