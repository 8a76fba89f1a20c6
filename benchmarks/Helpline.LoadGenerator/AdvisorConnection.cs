using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Helpline.LoadGenerator;

/// <summary>
/// One advisor's connection to Console's <c>/hubs/advisor</c> over WebSockets, signed in with a
/// bearer token. Everything the server sends is stamped on arrival and queued in
/// <see cref="Inbox"/> for the advisor's own loop: the handlers never invoke the hub themselves.
/// A refused or failed invocation is counted and answered with false, never thrown.
/// </summary>
internal sealed class AdvisorConnection : IAsyncDisposable
{
    private static readonly TimeSpan InvokeTimeout = TimeSpan.FromSeconds(30);

    private readonly HubConnection _hub;
    private readonly Counters _counters;
    private readonly Channel<HubMessage> _inbox = Channel.CreateUnbounded<HubMessage>();
    private volatile string? _status;
    private volatile bool _signingOff;
    private volatile bool _closing;

    private AdvisorConnection(HubConnection hub, Counters counters)
    {
        _hub = hub;
        _counters = counters;
        Listen<StatusChanged>(changed =>
        {
            if (!changed.Deferred)
            {
                _status = changed.Status;
            }
        });
        Listen<ContactOffered>();
        Listen<OfferWithdrawn>();
        Listen<ContactAssigned>();
        Listen<AssignmentUndone>();
        Listen<WrapUpScheduled>();
        Listen<ContactEnded>();
        hub.Closed += _ =>
        {
            if (!_closing)
            {
                _counters.Add("hub connection lost");
            }

            _inbox.Writer.TryComplete();
            return Task.CompletedTask;
        };
    }

    public ChannelReader<HubMessage> Inbox => _inbox.Reader;

    /// <summary>Nothing offered or held, as far as the router last said, and nothing left to read.</summary>
    public bool IsIdle => AdvisorStatus.IsIdle(_status) && _inbox.Reader.Count == 0;

    /// <summary>The router said this advisor is Offline.</summary>
    public bool IsOffline => _status == AdvisorStatus.Offline;

    public static async Task<AdvisorConnection> ConnectAsync(Uri console, string bearerToken, Counters counters, CancellationToken cancellationToken)
    {
        var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(console, "/hubs/advisor"), HttpTransportType.WebSockets, options =>
            {
                options.SkipNegotiation = true;
                options.AccessTokenProvider = () => Task.FromResult<string?>(bearerToken);
            })
            .Build();
        var connection = new AdvisorConnection(hub, counters);
        try
        {
            await hub.StartAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Once <see cref="RequestOfflineAsync"/> was called, a request to go Available (back from a break) is not sent.</summary>
    public Task<bool> SetStatusAsync(string status, string? reason, CancellationToken cancellationToken) =>
        _signingOff && status == AdvisorStatus.Available
            ? Task.FromResult(false)
            : InvokeAsync("SetStatus", [status, reason], cancellationToken);

    public Task<bool> AcceptAsync(long offerId, CancellationToken cancellationToken) => InvokeAsync("AcceptOffer", [offerId], cancellationToken);

    public Task<bool> DeclineAsync(long offerId, CancellationToken cancellationToken) => InvokeAsync("DeclineOffer", [offerId], cancellationToken);

    public Task<bool> CompleteAsync(Guid contactId, CancellationToken cancellationToken) => InvokeAsync("CompleteContact", [contactId], cancellationToken);

    public Task<bool> EndWrapUpAsync(CancellationToken cancellationToken) => InvokeAsync("EndWrapUp", [], cancellationToken);

    /// <summary>
    /// Asks to go Offline, once. The router defers it while the advisor holds a call or wraps up, so
    /// the advisor's loop should keep running until <see cref="IsOffline"/>.
    /// </summary>
    public async Task RequestOfflineAsync(CancellationToken cancellationToken)
    {
        if (!_signingOff && _hub.State == HubConnectionState.Connected)
        {
            _signingOff = true;
            await SetStatusAsync(AdvisorStatus.Offline, null, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _closing = true;
        await _hub.DisposeAsync();
    }

    private async Task<bool> InvokeAsync(string method, object?[] arguments, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(InvokeTimeout);
        try
        {
            await _hub.InvokeCoreAsync(method, arguments, timeout.Token);
            return true;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException && !cancellationToken.IsCancellationRequested)
        {
            _counters.Add($"{method} failed: {Describe(exception)}");
            return false;
        }
    }

    /// <summary>
    /// The router's code for a refusal (the server's message reads "… HubException: OfferExpired: …"),
    /// "server error" for any other failure on the server (whose detail the hub does not send), otherwise
    /// the exception's type.
    /// </summary>
    private static string Describe(Exception exception)
    {
        const string Marker = "HubException: ";
        if (exception is not HubException { Message: var message })
        {
            return exception.GetType().Name;
        }

        var at = message.IndexOf(Marker, StringComparison.Ordinal);
        if (at < 0)
        {
            return "server error";
        }

        var reason = message[(at + Marker.Length)..];
        var colon = reason.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 ? reason[..colon] : reason;
    }

    private void Listen<T>(Action<T>? observe = null) =>
        _hub.On<T>(typeof(T).Name, payload =>
        {
            var receivedAt = Stopwatch.GetTimestamp();
            observe?.Invoke(payload);
            _inbox.Writer.TryWrite(new HubMessage(payload!, receivedAt));
        });
}
