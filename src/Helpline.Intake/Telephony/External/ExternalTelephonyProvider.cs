using System.Net.Http.Headers;
using Helpline.Contracts;
using Helpline.Intake.Calls;
using Microsoft.Extensions.Options;

namespace Helpline.Intake.Telephony.External;

/// <summary>
/// A PBX bridge that connects calls itself. Intake tells it what to do with a held call by posting JSON to
/// <c>{BaseUrl}/connect</c>, <c>/turn-away</c> and <c>/hang-up</c>; a 2xx means the bridge took the request.
/// A connect is not an answer: the call stays <see cref="CallState.Connecting"/> until the bridge reports
/// <c>POST /api/calls/{id}/answered</c> (or <c>/connect-failed</c>), or
/// <see cref="ExternalBridgeOptions.AnswerTimeout"/> passes.
/// </summary>
internal sealed partial class ExternalTelephonyProvider(
    IHttpClientFactory httpClients,
    IOptionsMonitor<ExternalBridgeOptions> options,
    CallRules rules,
    ILogger<ExternalTelephonyProvider> logger) : ITelephonyProvider
{
    public const string HttpClientName = "external-bridge";

    public string Name => TelephonyOptions.External;

    public async Task<ProviderResult> ConnectAsync(InboundCall heldCall, AdvisorEndpoint endpoint, CancellationToken cancellationToken)
    {
        var result = await PostAsync(
            "connect",
            heldCall,
            new BridgeConnect(heldCall.Id, heldCall.ProviderCallId, heldCall.AdvisorId!.Value, endpoint.ToString(), heldCall.DialledNumber),
            cancellationToken);
        return result.Succeeded ? ProviderResult.AwaitingAnswer : result;
    }

    public Task<ProviderResult> TurnAwayAsync(InboundCall heldCall, UnansweredReason reason, CancellationToken cancellationToken) =>
        PostAsync("turn-away", heldCall, new BridgeTurnAway(heldCall.Id, heldCall.ProviderCallId, reason.ToString(), rules.OffersCallback(heldCall.CallerKey is null, reason)), cancellationToken);

    public Task<ProviderResult> HangUpAsync(InboundCall liveCall, CancellationToken cancellationToken) =>
        PostAsync("hang-up", liveCall, new BridgeHangUp(liveCall.Id, liveCall.ProviderCallId), cancellationToken);

    private async Task<ProviderResult> PostAsync<T>(string operation, InboundCall call, T body, CancellationToken cancellationToken)
    {
        if (call.Provider != CallsEndpoints.Provider)
        {
            return ProviderResult.Failure("The call did not come through the provider-neutral API, so the bridge cannot act on it.");
        }

        var settings = options.CurrentValue;
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"{settings.BaseUrl.TrimEnd('/')}/{operation}"))
        {
            Content = JsonContent.Create(body),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.Token);
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return ProviderResult.Success;
            }

            LogRefused(logger, operation, call.Id, (int)response.StatusCode);
            return ProviderResult.Failure($"The phone system refused the request (HTTP {(int)response.StatusCode}).");
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogUnreachable(logger, operation, call.Id, exception.GetType().Name);
            return ProviderResult.Failure("The phone system could not be reached.");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The bridge refused {Operation} for contact {ContactId}: HTTP {Status}")]
    private static partial void LogRefused(ILogger logger, string operation, Guid contactId, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The bridge could not be reached for {Operation} of contact {ContactId} ({ExceptionType})")]
    private static partial void LogUnreachable(ILogger logger, string operation, Guid contactId, string exceptionType);
}

/// <summary>Body of <c>POST {BaseUrl}/connect</c>: bridge the held call to the advisor, showing <paramref name="CallerId"/> (the helpline's number).</summary>
internal sealed record BridgeConnect(Guid ContactId, string ProviderCallId, Guid AdvisorId, string AdvisorEndpoint, string CallerId);

/// <summary>
/// Body of <c>POST {BaseUrl}/turn-away</c>: play the message for <paramref name="Reason"/> (NoAdvisors, Overflow)
/// and end the call; when <paramref name="OfferCallback"/>, first offer a callback and report a "yes" on
/// <c>POST /api/calls/{id}/callback</c>.
/// </summary>
internal sealed record BridgeTurnAway(Guid ContactId, string ProviderCallId, string Reason, bool OfferCallback);

/// <summary>Body of <c>POST {BaseUrl}/hang-up</c>: end the call (the advisor completed it in the console).</summary>
internal sealed record BridgeHangUp(Guid ContactId, string ProviderCallId);
