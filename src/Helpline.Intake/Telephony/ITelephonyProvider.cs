using System.Text.RegularExpressions;
using Helpline.Contracts;
using Helpline.Intake.Calls;

namespace Helpline.Intake.Telephony;

/// <summary>
/// What Intake asks of the phone network for a held call. Implementations answer failures as a
/// <see cref="ProviderResult"/> with a detail an advisor can read (no caller data), never by throwing
/// for the provider's own refusals.
/// </summary>
internal interface ITelephonyProvider
{
    string Name { get; }

    /// <summary>Bridges the held call to the advisor's endpoint.</summary>
    Task<ProviderResult> ConnectAsync(InboundCall heldCall, AdvisorEndpoint endpoint, CancellationToken cancellationToken);

    /// <summary>Plays the message for <paramref name="reason"/> to the held caller and ends the call.</summary>
    Task<ProviderResult> TurnAwayAsync(InboundCall heldCall, UnansweredReason reason, CancellationToken cancellationToken);

    /// <summary>Ends a live call (the advisor completed it in the console). A call the provider already ended counts as success.</summary>
    Task<ProviderResult> HangUpAsync(InboundCall liveCall, CancellationToken cancellationToken);
}

internal sealed record ProviderResult(bool Succeeded, string? Detail)
{
    public static readonly ProviderResult Success = new(true, null);

    /// <summary>The provider took the connect request but bridges on its own: the answer is reported later (<c>POST /api/calls/{id}/answered</c>).</summary>
    public static readonly ProviderResult AwaitingAnswer = new(true, null) { Pending = true };

    /// <summary>True when a successful connect is not yet an answer.</summary>
    public bool Pending { get; init; }

    public static ProviderResult Failure(string detail) => new(false, detail);
}

/// <summary>Where an advisor answers: a Twilio Client identity (<c>client:alice</c>) or a phone number in E.164.</summary>
internal sealed partial record AdvisorEndpoint(string? ClientIdentity, string? PhoneNumber)
{
    public static bool TryParse(string? text, out AdvisorEndpoint endpoint)
    {
        endpoint = new AdvisorEndpoint(null, null);
        if (text is null)
        {
            return false;
        }

        if (text.StartsWith("client:", StringComparison.OrdinalIgnoreCase) && ClientIdentityPattern().IsMatch(text[7..]))
        {
            endpoint = new AdvisorEndpoint(text[7..], null);
            return true;
        }

        if (E164Pattern().IsMatch(text))
        {
            endpoint = new AdvisorEndpoint(null, text);
            return true;
        }

        return false;
    }

    [GeneratedRegex("^[A-Za-z0-9_.@-]{1,121}$")]
    private static partial Regex ClientIdentityPattern();

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$")]
    private static partial Regex E164Pattern();
}

/// <summary>No phone network: every connect succeeds and a turned-away call just ends. For development, demos and load tests.</summary>
internal sealed class SimulatedTelephonyProvider : ITelephonyProvider
{
    public string Name => TelephonyOptions.Simulated;

    public Task<ProviderResult> ConnectAsync(InboundCall heldCall, AdvisorEndpoint endpoint, CancellationToken cancellationToken) =>
        Task.FromResult(ProviderResult.Success);

    public Task<ProviderResult> TurnAwayAsync(InboundCall heldCall, UnansweredReason reason, CancellationToken cancellationToken) =>
        Task.FromResult(ProviderResult.Success);

    public Task<ProviderResult> HangUpAsync(InboundCall liveCall, CancellationToken cancellationToken) =>
        Task.FromResult(ProviderResult.Success);
}
