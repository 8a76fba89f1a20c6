using Helpline.Intake.Data;

namespace Helpline.Intake.Tests.Calls;

/// <summary>Intake with <c>Telephony:Provider=External</c>: a bridge stub takes its requests; probes on what it publishes.</summary>
public sealed class ExternalBridgeFixture : IAsyncLifetime
{
    public const string Token = "bridge-token-0123456789abcdef";

    /// <summary>Short, so the timeout test is quick; long enough that the other tests answer well inside it.</summary>
    public static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(8);

    public TestDatabase Database { get; } = TestDatabase.Create("intake_ext");

    public TestVirtualHost VirtualHost { get; private set; } = null!;

    public BridgeStub Bridge { get; private set; } = null!;

    public ServiceHost<IntakeDbContext> Intake { get; private set; } = null!;

    public Dictionary<Type, MessageProbe> Events { get; } = [];

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        VirtualHost = await TestVirtualHost.CreateAsync();
        await Database.MigrateAsync<IntakeDbContext>(IntakeDbContext.Schema, options => new IntakeDbContext(options));
        foreach (var type in new[] { typeof(CallConnected), typeof(CallConnectFailed), typeof(CallEnded) })
        {
            Events[type] = await MessageProbe.CreateAsync(VirtualHost.ConnectionString, type);
        }

        Bridge = await BridgeStub.StartAsync();
        var settings = HelplineSettings.AlwaysOpenFor(Database, VirtualHost);
        settings["Telephony:Provider"] = "External";
        settings["ExternalBridge:BaseUrl"] = new Uri(Bridge.Address, "bridge").ToString();
        settings["ExternalBridge:Token"] = Token;
        settings["ExternalBridge:AnswerTimeout"] = AnswerTimeout.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
        Intake = new ServiceHost<IntakeDbContext>(settings).Start();
        Client = await Intake.CreateIntegrationClientAsync();
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Intake.DisposeAsync();
        await Bridge.DisposeAsync();
        foreach (var probe in Events.Values)
        {
            await probe.DisposeAsync();
        }

        await VirtualHost.DisposeAsync();
        await Database.DisposeAsync();
    }
}
