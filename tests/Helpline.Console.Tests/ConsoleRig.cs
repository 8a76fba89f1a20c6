using Helpline.Console.Data;
using MassTransit;

namespace Helpline.Console.Tests;

/// <summary>One Console on Kestrel with its own database and virtual host, fresh for each test; advisors sign in with bearer tokens (TestAccounts).</summary>
public sealed class ConsoleRig : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly List<AdvisorClient> _advisors = [];

    private readonly IReadOnlyDictionary<string, string?> _settings;

    private ConsoleRig(TestDatabase database, TestVirtualHost virtualHost, IReadOnlyDictionary<string, string?> settings)
    {
        _settings = settings;
        Database = database;
        VirtualHost = virtualHost;
        Console = new ServiceHost<ConsoleDbContext>(settings).Start();
    }

    public TestDatabase Database { get; }

    public TestVirtualHost VirtualHost { get; }

    public ServiceHost<ConsoleDbContext> Console { get; }

    public static async Task<ConsoleRig> StartAsync(IReadOnlyDictionary<string, string?>? extra = null)
    {
        var database = TestDatabase.Create("console");
        var virtualHost = await TestVirtualHost.CreateAsync();
        await database.MigrateAsync<ConsoleDbContext>(ConsoleDbContext.Schema, options => new ConsoleDbContext(options));
        var settings = HelplineSettings.For(database, virtualHost);
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return new ConsoleRig(database, virtualHost, settings);
    }

    /// <summary>Another Console instance on the same database and broker (the caller disposes it).</summary>
    public ServiceHost<ConsoleDbContext> StartAnotherInstance() => new ServiceHost<ConsoleDbContext>(_settings).Start();

    public async Task<AdvisorClient> AvailableAdvisorAsync(string name)
    {
        var advisor = await AdvisorClient.ConnectAsync(Console.Address, name);
        _advisors.Add(advisor);
        await advisor.GoAvailableAsync(Timeout);
        return advisor;
    }

    /// <summary>Announces a call as Intake does: a ContactReceived on the bus.</summary>
    public async Task<Guid> CallAsync(bool withheld = false)
    {
        var contactId = Guid.NewGuid();
        await Console.Services.GetRequiredService<IBus>().Publish(new ContactReceived
        {
            ContactId = contactId,
            Channel = ContactChannel.Call,
            ProviderReference = $"test-{contactId:N}",
            CallerKey = withheld ? null : new string('a', 64),
            ReceivedAt = DateTimeOffset.UtcNow,
        });
        return contactId;
    }

    public Task PublishAsync<T>(T message)
        where T : class => Console.Services.GetRequiredService<IBus>().Publish(message);

    public Task<long> ContactEventsAsync(Guid contactId, string type) =>
        Database.CountAsync($"SELECT count(*) FROM console.contact_events WHERE contact_id = '{contactId}' AND type = '{type}'");

    /// <summary>A counter of Console's on /metrics (its Prometheus name), summed over its labels.</summary>
    public async Task<double> CounterAsync(string name)
    {
        using var client = Console.CreateHttpClient();
        return (await client.GetStringAsync("/metrics")).Split('\n')
            .Where(line => line.StartsWith(name + "{", StringComparison.Ordinal) || line.StartsWith(name + " ", StringComparison.Ordinal))
            .Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var advisor in _advisors)
        {
            await advisor.DisposeAsync();
        }

        await Console.DisposeAsync();
        await VirtualHost.DisposeAsync();
        await Database.DisposeAsync();
    }
}
