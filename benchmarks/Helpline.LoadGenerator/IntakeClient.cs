using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Helpline.LoadGenerator;

/// <summary>
/// Intake's provider-neutral call API, as a PBX bridge would use it (with its own integration key). A refusal is an
/// <see cref="HttpRequestException"/> carrying the status code; response bodies are never printed,
/// since a problem could describe what was sent.
/// </summary>
internal sealed class IntakeClient(Uri intake, string key, int connections = int.MaxValue) : IDisposable
{
    /// <summary>The number callers dial (the helpline's freephone number).</summary>
    public const string HelplineNumber = "+448088020300";

    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(10), MaxConnectionsPerServer = connections })
    {
        BaseAddress = intake,
        Timeout = TimeSpan.FromSeconds(30),
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", key) },
    };

    /// <summary><c>POST /api/calls</c>; returns the contact id from the 202.</summary>
    public async Task<Guid> AnnounceAsync(string providerCallId, string? callerNumber, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync(new Uri("/api/calls", UriKind.Relative), new CallRequest(providerCallId, callerNumber, HelplineNumber), Json, cancellationToken);
        response.EnsureSuccessStatusCode();
        var accepted = await response.Content.ReadFromJsonAsync<CallAccepted>(Json, cancellationToken);
        return accepted?.ContactId ?? throw new HttpRequestException("Intake answered 202 without a contact id.");
    }

    /// <summary><c>POST /api/calls/{id}/hangup</c>: the caller hung up.</summary>
    public Task<CallEventResult> HangUpAsync(string providerCallId, CancellationToken cancellationToken) =>
        PostEventAsync(providerCallId, "hangup", new HangupRequest(), cancellationToken);

    /// <summary><c>POST /api/calls/{id}/ended</c>: an answered call ended; <paramref name="endedBy"/> is Caller or Advisor.</summary>
    public Task<CallEventResult> EndAsync(string providerCallId, string endedBy, CancellationToken cancellationToken) =>
        PostEventAsync(providerCallId, "ended", new EndedRequest(endedBy), cancellationToken);

    private async Task<CallEventResult> PostEventAsync<T>(string providerCallId, string verb, T body, CancellationToken cancellationToken)
    {
        var path = new Uri($"/api/calls/{Uri.EscapeDataString(providerCallId)}/{verb}", UriKind.Relative);
        using var response = await _http.PostAsJsonAsync(path, body, Json, cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<CallEventResult>(Json, cancellationToken)
            ?? throw new HttpRequestException($"Intake answered {verb} without a body.");
    }

    /// <summary>Whether <paramref name="exception"/> is Intake refusing or not answering, rather than a bug here.</summary>
    public static bool IsFailure(Exception exception) => exception is HttpRequestException or TaskCanceledException or JsonException;

    /// <summary>A failure as a short label: the status code, or what went wrong on the way.</summary>
    public static string Describe(Exception exception) => exception switch
    {
        HttpRequestException { StatusCode: { } status } => $"{(int)status} {status}",
        HttpRequestException http => http.HttpRequestError.ToString(),
        TaskCanceledException => "timed out",
        _ => exception.GetType().Name,
    };

    public void Dispose() => _http.Dispose();

    private sealed record CallRequest(string ProviderCallId, string? CallerNumber, string DialledNumber);

    private sealed record HangupRequest;

    private sealed record EndedRequest(string EndedBy);

    private sealed record CallAccepted(Guid ContactId);
}

/// <summary>The call's state after a lifecycle request, and whether the request changed it.</summary>
internal sealed record CallEventResult(Guid ContactId, string State, bool Changed);
