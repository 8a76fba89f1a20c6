using Helpline.Intake.Data;

namespace Helpline.Intake.Tests;

/// <summary>Intake on Kestrel with its own database and virtual host, the default (simulated) telephony provider, and probes on what it publishes.</summary>
public sealed class IntakeFixture : IAsyncLifetime
{
    /// <summary>Configured rather than the 5 s default, to show the threshold is read from configuration.</summary>
    public static readonly TimeSpan ShortAbandonThreshold = TimeSpan.FromSeconds(10);

    public TestDatabase Database { get; } = TestDatabase.Create("intake");

    public TestVirtualHost VirtualHost { get; private set; } = null!;

    public ServiceHost<IntakeDbContext> Intake { get; private set; } = null!;

    public MessageProbe Published { get; private set; } = null!;

    /// <summary>Probes on the call lifecycle events Intake publishes.</summary>
    public Dictionary<Type, MessageProbe> Events { get; } = [];

    /// <summary>A client holding an integration key with every scope, as a PBX bridge does.</summary>
    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        VirtualHost = await TestVirtualHost.CreateAsync();
        await Database.MigrateAsync<IntakeDbContext>(IntakeDbContext.Schema, options => new IntakeDbContext(options));
        Published = await MessageProbe.CreateAsync(VirtualHost.ConnectionString, typeof(ContactReceived));
        foreach (var type in new[] { typeof(CallerHungUp), typeof(CallConnected), typeof(CallEnded) })
        {
            Events[type] = await MessageProbe.CreateAsync(VirtualHost.ConnectionString, type);
        }
        var settings = HelplineSettings.AlwaysOpenFor(Database, VirtualHost);
        settings["Calls:ShortAbandonThreshold"] = ShortAbandonThreshold.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
        Intake = new ServiceHost<IntakeDbContext>(settings).Start();
        Client = await Intake.CreateIntegrationClientAsync();
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Intake.DisposeAsync();
        await Published.DisposeAsync();
        foreach (var probe in Events.Values)
        {
            await probe.DisposeAsync();
        }
        await VirtualHost.DisposeAsync();
        await Database.DisposeAsync();
    }
}
