using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace Helpline.Testing;

/// <summary>
/// An advisor's connection to Console's <c>/hubs/advisor</c> over real WebSockets with the .NET
/// SignalR client, signed in with the development identity, recording everything the server sends.
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

    public static async Task<AdvisorClient> ConnectAsync(Uri console, string name)
    {
        ArgumentNullException.ThrowIfNull(console);
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(console, "/hubs/advisor"), HttpTransportType.WebSockets, options =>
            {
                options.SkipNegotiation = true;
                options.Headers["X-Dev-Advisor"] = name;
            })
            .WithAutomaticReconnect()
            .Build();
        var client = new AdvisorClient(connection, name);
        await connection.StartAsync();
        return client;
    }

    /// <summary>Signs in as available and waits until the router says so.</summary>
    public async Task GoAvailableAsync(TimeSpan timeout)
    {
        var before = Received("StatusChanged").Count();
        await Connection.InvokeAsync("SetStatus", "Available", null);
        await WaitForAsync("StatusChanged", s => s.GetProperty("status").GetString() == "Available", timeout, skip: before);
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
