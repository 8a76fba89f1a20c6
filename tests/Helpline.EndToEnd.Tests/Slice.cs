using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Helpline.Console.Data;
using Helpline.Intake.Data;
using Helpline.Testing;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace Helpline.EndToEnd.Tests;

/// <summary>Both services on one database (a schema each) and one virtual host, as in production.</summary>
public sealed class Slice : IAsyncDisposable
{
    private readonly Dictionary<string, string?> _settings;

    private Slice(TestDatabase database, TestVirtualHost virtualHost)
    {
        Database = database;
        VirtualHost = virtualHost;
        _settings = HelplineSettings.For(database, virtualHost);
    }

    public TestDatabase Database { get; }

    public TestVirtualHost VirtualHost { get; }

    public ServiceHost<IntakeDbContext>? Intake { get; private set; }

    public ServiceHost<ConsoleDbContext>? Console { get; private set; }

    public static async Task<Slice> CreateAsync(Broker? broker = null)
    {
        var slice = new Slice(TestDatabase.Create("e2e"), await TestVirtualHost.CreateAsync(broker));
        await slice.Database.MigrateAsync<IntakeDbContext>(IntakeDbContext.Schema, options => new IntakeDbContext(options));
        await slice.Database.MigrateAsync<ConsoleDbContext>(ConsoleDbContext.Schema, options => new ConsoleDbContext(options));
        return slice;
    }

    public Slice StartIntake()
    {
        Intake = new ServiceHost<IntakeDbContext>(_settings).Start();
        return this;
    }

    public Slice StartConsole()
    {
        Console = new ServiceHost<ConsoleDbContext>(_settings).Start();
        return this;
    }

    public async Task StopConsoleAsync()
    {
        await Console!.DisposeAsync();
        Console = null;
    }

    /// <summary>Posts a provider-neutral call and returns the contact id Intake answered with.</summary>
    public async Task<Guid> PostCallAsync(string providerCallId)
    {
        using var client = Intake!.CreateHttpClient();
        var response = await client.PostAsJsonAsync("/api/calls", new { providerCallId, callerNumber = "+447700900123", dialledNumber = "+448088020300" });
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("contactId").GetGuid();
    }

    /// <summary>An advisor's connection to Console's hub over real WebSockets, recording offers.</summary>
    public async Task<AdvisorConnection> ConnectAdvisorAsync()
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(Console!.Address, "/hubs/advisor"), HttpTransportType.WebSockets, options => options.SkipNegotiation = true)
            .WithAutomaticReconnect()
            .Build();
        var advisor = new AdvisorConnection(connection);
        await connection.StartAsync();
        return advisor;
    }

    public async ValueTask DisposeAsync()
    {
        if (Console is not null)
        {
            await Console.DisposeAsync();
        }

        if (Intake is not null)
        {
            await Intake.DisposeAsync();
        }

        await VirtualHost.DisposeAsync();
        await Database.DisposeAsync();
    }
}

public sealed class AdvisorConnection : IAsyncDisposable
{
    private readonly HubConnection _connection;
    private readonly ConcurrentQueue<JsonElement> _offers = new();

    public AdvisorConnection(HubConnection connection)
    {
        _connection = connection;
        connection.On<JsonElement>("ContactOffered", offer => _offers.Enqueue(offer));
    }

    public HubConnectionState State => _connection.State;

    public int OffersFor(Guid contactId) =>
        _offers.Count(o => o.GetProperty("contactId").GetGuid() == contactId);

    public Task<JsonElement> WaitForOfferAsync(Guid contactId, TimeSpan timeout) =>
        Eventually.WaitAsync(
            () => Task.FromResult(_offers.FirstOrDefault(o => o.GetProperty("contactId").GetGuid() == contactId)),
            offer => offer.ValueKind == JsonValueKind.Object, timeout, $"an offer of contact {contactId}");

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
