using Helpline.Contracts;
using Helpline.Intake.Calls;
using Microsoft.Extensions.Options;
using Twilio.Clients;
using Twilio.Exceptions;
using Twilio.Http;
using Twilio.Rest.Api.V2010.Account;
using Twilio.TwiML;
using Twilio.Types;

namespace Helpline.Intake.Telephony.Twilio;

/// <summary>
/// Acts on a live Twilio call by updating it over the REST API with new TwiML or, to hang up, a new status
/// (<c>POST /2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}.json</c>, form field <c>Twiml</c> or <c>Status</c>), through
/// the Twilio package's <see cref="TwilioRestClient"/> on an <see cref="System.Net.Http.HttpClient"/>
/// from the factory (so it is traced, and <see cref="TwilioApiBaseHandler"/> can point it elsewhere).
/// </summary>
internal sealed partial class TwilioTelephonyProvider(
    IHttpClientFactory httpClients,
    IOptionsMonitor<TwilioOptions> options,
    CallRules rules,
    TwilioVoiceResponses responses,
    ILogger<TwilioTelephonyProvider> logger) : ITelephonyProvider
{
    public const string HttpClientName = "twilio";
    public const string ProviderName = "twilio";

    public string Name => TelephonyOptions.Twilio;

    /// <summary>Twilio's "Call is not in-progress": hanging up a call that already ended.</summary>
    private const int CallNotInProgress = 21220;

    public Task<ProviderResult> ConnectAsync(InboundCall heldCall, AdvisorEndpoint endpoint, CancellationToken cancellationToken) =>
        UpdateAsync(heldCall, Redirect(responses.Connect(heldCall, endpoint)), alreadyEndedIsSuccess: false);

    public Task<ProviderResult> TurnAwayAsync(InboundCall heldCall, UnansweredReason reason, CancellationToken cancellationToken) =>
        UpdateAsync(heldCall, Redirect(responses.TurnAway(reason, rules.OffersCallback(heldCall.CallerKey is null, reason))), alreadyEndedIsSuccess: false);

    /// <summary>Updates the call with <c>Status=completed</c>; Twilio's 21220 (the call is no longer in progress) means it already ended.</summary>
    public Task<ProviderResult> HangUpAsync(InboundCall liveCall, CancellationToken cancellationToken) =>
        UpdateAsync(
            liveCall,
            (sid, client) => CallResource.UpdateAsync(pathSid: sid, status: CallResource.UpdateStatusEnum.Completed, client: client),
            alreadyEndedIsSuccess: true);

    private static Func<string, TwilioRestClient, Task<CallResource>> Redirect(VoiceResponse twiml) =>
        (sid, client) => CallResource.UpdateAsync(pathSid: sid, twiml: new Twiml(twiml.ToString()), client: client);

    private async Task<ProviderResult> UpdateAsync(InboundCall call, Func<string, TwilioRestClient, Task<CallResource>> update, bool alreadyEndedIsSuccess)
    {
        if (call.Provider != ProviderName)
        {
            return ProviderResult.Failure("The call did not come through Twilio, so Twilio cannot connect it.");
        }

        var settings = options.CurrentValue;
        var client = new TwilioRestClient(
            settings.AccountSid,
            settings.AuthToken,
            httpClient: new SystemNetHttpClient(httpClients.CreateClient(HttpClientName)));
        try
        {
            await update(call.ProviderCallId, client);
            return ProviderResult.Success;
        }
        catch (ApiException exception) when (alreadyEndedIsSuccess && exception.Code == CallNotInProgress)
        {
            return ProviderResult.Success;
        }
        catch (ApiException exception)
        {
            // Twilio's own message can quote numbers: only its status and error code are kept.
            LogRefused(logger, call.Id, exception.Status, exception.Code);
            return ProviderResult.Failure($"Twilio refused the request (HTTP {exception.Status}, error {exception.Code}).");
        }
        catch (Exception exception) when (exception is TwilioException or HttpRequestException or TaskCanceledException)
        {
            LogUnreachable(logger, call.Id, exception.GetType().Name);
            return ProviderResult.Failure("Twilio could not be reached.");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Twilio refused the update of contact {ContactId}: HTTP {Status}, error {Code}")]
    private static partial void LogRefused(ILogger logger, Guid contactId, int status, int code);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Twilio could not be reached for contact {ContactId} ({ExceptionType})")]
    private static partial void LogUnreachable(ILogger logger, Guid contactId, string exceptionType);
}

/// <summary>
/// Sends the Twilio package's requests to <see cref="TwilioOptions.ApiBaseUrl"/>: the package always
/// builds <c>https://api.twilio.com/…</c>, so the scheme, host and port are swapped here and the path and
/// form are left exactly as the package wrote them.
/// </summary>
internal sealed class TwilioApiBaseHandler(IOptionsMonitor<TwilioOptions> options) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var baseUri = new Uri(options.CurrentValue.ApiBaseUrl);
        if (request.RequestUri is { } uri)
        {
            request.RequestUri = new UriBuilder(uri) { Scheme = baseUri.Scheme, Host = baseUri.Host, Port = baseUri.Port }.Uri;
        }

        return base.SendAsync(request, cancellationToken);
    }
}
