using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace Helpline.Testing;

/// <summary>
/// An advisor's connection to Console's <c>/hubs/advisor</c> over real WebSockets with the .NET
/// SignalR client, signed in with a bearer token, recording everything the server sends.
/// </summary>
public sealed class AdvisorClient : IAsyncDisposable
{
    public static readonly string[] ServerMethods =
        ["StatusChanged", "ContactOffered", "OfferWithdrawn", "ContactAssigned", "AssignmentUndone", "WrapUpScheduled", "ContactEnded"];

    private readonly ConcurrentQueue<(string Method, JsonElement Payload)> _received = new();

    private AdvisorClient(HubConnection connection, string name)
    {
        Connection = connection;
        Name = name;
        foreach (var method in ServerMethods)
        {
            connection.On<JsonElement>(method, payload => _received.Enqueue((method, payload)));
        }
    }

    public HubConnection Connection { get; }

    public string Name { get; }

    public IEnumerable<JsonElement> Received(string method) => _received.Where(m => m.Method == method).Select(m => m.Payload);

    /// <summary>Connects as advisor <paramref name="name"/>, creating the account through the admin API if it is new.</summary>
    public static async Task<AdvisorClient> ConnectAsync(Uri console, string name)
    {
        ArgumentNullException.ThrowIfNull(console);
        var token = await TestAccounts.EnsureUserAsync(console, name, "Advisor");
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(console, "/hubs/advisor"), HttpTransportType.WebSockets, options =>
            {
                options.SkipNegotiation = true;
                options.AccessTokenProvider = () => Task.FromResult<string?>(token);
            })
            .WithAutomaticReconnect()
            .Build();
        var client = new AdvisorClient(connection, name);
        await connection.StartAsync();
        return client;
    }

    /// <summary>Asks to be Available and waits until the latest status the server sent says so.</summary>
    public async Task GoAvailableAsync(TimeSpan timeout)
    {
        await Connection.InvokeAsync("SetStatus", "Available", null);
        await Eventually.WaitAsync(
            () => Task.FromResult(Received("StatusChanged").LastOrDefault()),
            s => s.ValueKind == JsonValueKind.Object && s.GetProperty("status").GetString() == "Available",
            timeout,
            $"advisor {Name} to be Available");
    }

    /// <summary>Waits for a message of <paramref name="method"/> matching <paramref name="match"/>, ignoring the first <paramref name="skip"/> of that method.</summary>
    public Task<JsonElement> WaitForAsync(string method, Func<JsonElement, bool> match, TimeSpan timeout, int skip = 0)
    {
        ArgumentNullException.ThrowIfNull(match);
        return Eventually.WaitAsync(
            () => Task.FromResult(Received(method).Skip(skip).FirstOrDefault(match)),
            payload => payload.ValueKind == JsonValueKind.Object,
            timeout,
            $"{method} at advisor {Name}");
    }

    public Task<JsonElement> WaitForOfferAsync(Guid contactId, TimeSpan timeout) =>
        WaitForAsync("ContactOffered", o => o.GetProperty("contactId").GetGuid() == contactId, timeout);

    public int OffersFor(Guid contactId) => Received("ContactOffered").Count(o => o.GetProperty("contactId").GetGuid() == contactId);

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}
