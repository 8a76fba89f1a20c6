using System.Net.Http.Json;
using System.Text.Json;
using Helpline.Console.Data;
using Helpline.Intake.Data;
using Xunit;

namespace Helpline.Testing;

/// <summary>Both services on one database (a schema each) and one virtual host, as in production.</summary>
public sealed class Slice : IAsyncDisposable
{
    private readonly Dictionary<string, string?> _settings;

    private Slice(TestDatabase database, TestVirtualHost virtualHost, IReadOnlyDictionary<string, string?>? extra)
    {
        Database = database;
        VirtualHost = virtualHost;
        _settings = HelplineSettings.AlwaysOpenFor(database, virtualHost);
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    public TestDatabase Database { get; }

    public TestVirtualHost VirtualHost { get; }

    public ServiceHost<IntakeDbContext>? Intake { get; private set; }

    public ServiceHost<ConsoleDbContext>? Console { get; private set; }

    /// <param name="broker">The broker to use (the shared test broker when null).</param>
    /// <param name="settings">Configuration for both services on top of <see cref="HelplineSettings"/> (e.g. <c>Routing:OfferTimeout</c>).</param>
    public static async Task<Slice> CreateAsync(Broker? broker = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var slice = new Slice(TestDatabase.Create("e2e"), await TestVirtualHost.CreateAsync(broker), settings);
        await slice.Database.MigrateAsync<IntakeDbContext>(IntakeDbContext.Schema, options => new IntakeDbContext(options));
        await slice.Database.MigrateAsync<ConsoleDbContext>(ConsoleDbContext.Schema, options => new ConsoleDbContext(options));
        return slice;
    }

    /// <summary>
    /// Puts a <see cref="FaultProxy"/> between the services started after this call and PostgreSQL (the
    /// test's own queries, and migrations, go direct), for an outage only they see.
    /// </summary>
    public FaultProxy ProxyPostgres()
    {
        var (proxy, connectionString) = FaultProxy.ForPostgres(Database.ConnectionString);
        _settings["ConnectionStrings:Postgres"] = connectionString;
        return proxy;
    }

    /// <summary>A setting for the services started after this call (one service's own port, say).</summary>
    public Slice Set(string key, string? value)
    {
        _settings[key] = value;
        return this;
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
        using var client = await Intake!.CreateIntegrationClientAsync("calls");
        var response = await client.PostAsJsonAsync("/api/calls", new { providerCallId, callerNumber = "+447700900123", dialledNumber = "+448088020300" });
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("contactId").GetGuid();
    }

    /// <summary>An advisor signed in (development identity) over real WebSockets and Available.</summary>
    public async Task<AdvisorClient> AvailableAdvisorAsync(string name)
    {
        var advisor = await AdvisorClient.ConnectAsync(Console!.Address, name);
        await advisor.GoAvailableAsync(TimeSpan.FromSeconds(30));
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
