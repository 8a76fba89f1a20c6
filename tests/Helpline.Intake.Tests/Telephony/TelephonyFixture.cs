using System.Net.Http.Headers;
using Helpline.Intake.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Helpline.Intake.Tests.Telephony;

/// <summary>Intake with its clock replaced and every log entry captured (the test host's only differences from production wiring).</summary>
public sealed class IntakeHost(IReadOnlyDictionary<string, string?> settings, TimeProvider time) : WebApplicationFactory<IntakeDbContext>
{
    public CapturedLogs Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton(time);
            services.AddSingleton<ILoggerProvider>(Logs);
            services.AddLogging(logging => logging.AddFilter<CapturedLogs>(null, LogLevel.Trace));
        });
    }

    private bool _started;

    protected override IHost CreateHost(IHostBuilder builder)
    {
        var host = base.CreateHost(builder);
        _started = true;
        return host;
    }

    public override async ValueTask DisposeAsync()
    {
        if (_started)
        {
            await Services.GetRequiredService<IHost>().StopAsync();
        }

        await base.DisposeAsync();
    }
}

/// <summary>
/// Intake with the Twilio provider: its own database and virtual host, a fake clock starting at
/// <paramref name="start"/>, Twilio's REST API stubbed on a loopback port, and a probe on every event
/// Intake publishes. With <paramref name="proxyPostgres"/>, Intake reaches PostgreSQL through
/// <see cref="Postgres"/>, a proxy the test can cut (the test's own queries go direct).
/// </summary>
public abstract class TelephonyFixture(DateTimeOffset start, bool proxyPostgres = false) : IAsyncLifetime
{
    public const string AccountSid = "AC0123456789abcdef0123456789abcdef";
    public const string AuthToken = "test-auth-token-0123456789abcdef";
    public const string PublicBaseUrl = "https://helpline.example.test/intake";
    public const string HelplineNumber = "+448088020300";

    private static readonly Type[] Events =
        [typeof(ContactReceived), typeof(CallNotQueued), typeof(CallerHungUp), typeof(CallConnected), typeof(CallConnectFailed), typeof(CallEnded), typeof(CallbackRequested)];

    private readonly Dictionary<Type, MessageProbe> _probes = [];

    public FakeTimeProvider Time { get; } = new(start);

    public TestDatabase Database { get; } = TestDatabase.Create("intake_tel");

    public TestVirtualHost VirtualHost { get; private set; } = null!;

    public TwilioRestStub Stub { get; private set; } = null!;

    public IntakeHost Intake { get; private set; } = null!;

    public FaultProxy? Postgres { get; private set; }

    public HttpClient Client { get; private set; } = null!;

    public MessageProbe Published<T>() => _probes[typeof(T)];

    public async Task InitializeAsync()
    {
        VirtualHost = await TestVirtualHost.CreateAsync();
        await Database.MigrateAsync<IntakeDbContext>(IntakeDbContext.Schema, options => new IntakeDbContext(options));
        foreach (var type in Events)
        {
            _probes[type] = await MessageProbe.CreateAsync(VirtualHost.ConnectionString, type);
        }

        Stub = await TwilioRestStub.StartAsync();
        var settings = HelplineSettings.For(Database, VirtualHost);
        settings["Telephony:Provider"] = "Twilio";
        settings["Telephony:HoldPauseSeconds"] = "15";
        settings["Callbacks:Enabled"] = "true";
        settings["Twilio:AccountSid"] = AccountSid;
        settings["Twilio:AuthToken"] = AuthToken;
        settings["Twilio:PublicBaseUrl"] = PublicBaseUrl;
        settings["Twilio:ApiBaseUrl"] = Stub.Address.ToString().TrimEnd('/');
        if (proxyPostgres)
        {
            (Postgres, settings["ConnectionStrings:Postgres"]) = FaultProxy.ForPostgres(Database.ConnectionString);
        }

        Intake = new IntakeHost(settings, Time);
        Client = Intake.CreateClient();
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Intake.DisposeAsync();
        await Stub.DisposeAsync();
        if (Postgres is not null)
        {
            await Postgres.DisposeAsync();
        }

        foreach (var probe in _probes.Values)
        {
            await probe.DisposeAsync();
        }

        await VirtualHost.DisposeAsync();
        await Database.DisposeAsync();
    }

    public static string NewCallSid() => $"CA{Guid.NewGuid():N}";

    /// <summary>The fields Twilio posts to the incoming-call webhook.</summary>
    public static Dictionary<string, string> IncomingCall(string callSid, string from = "+447700900123") => new()
    {
        ["AccountSid"] = AccountSid,
        ["ApiVersion"] = "2010-04-01",
        ["CallSid"] = callSid,
        ["CallStatus"] = "ringing",
        ["Called"] = HelplineNumber,
        ["Caller"] = from,
        ["Direction"] = "inbound",
        ["From"] = from,
        ["FromCountry"] = "GB",
        ["To"] = HelplineNumber,
        ["ToCountry"] = "GB",
    };

    /// <summary>A status callback for the call.</summary>
    public static Dictionary<string, string> StatusCallback(string callSid, string status, string from = "+447700900123")
    {
        var form = IncomingCall(callSid, from);
        form["CallStatus"] = status;
        form["CallbackSource"] = "call-progress-events";
        form["Timestamp"] = "Wed, 10 Jun 2026 13:05:00 +0000";
        return form;
    }

    /// <summary>Posts a webhook as Twilio would: form-encoded, signed over the public URL.</summary>
    public Task<HttpResponseMessage> PostTwilioAsync(string path, IReadOnlyDictionary<string, string> form) =>
        PostTwilioAsync(path, form, TwilioSigner.Sign(AuthToken, PublicBaseUrl + path, form));

    public async Task<HttpResponseMessage> PostTwilioAsync(string path, IReadOnlyDictionary<string, string> form, string? signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        if (signature is not null)
        {
            request.Headers.Add("X-Twilio-Signature", signature);
        }

        return await Client.SendAsync(request);
    }

    /// <summary>Posts a raw body with a signature computed over the given form fields.</summary>
    public async Task<HttpResponseMessage> PostRawAsync(string path, string body, string contentType, string? signature)
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (signature is not null)
        {
            request.Headers.Add("X-Twilio-Signature", signature);
        }

        return await Client.SendAsync(request);
    }

    public Task PublishAsync<T>(T message)
        where T : class => Intake.Services.GetRequiredService<IBus>().Publish(message);

    /// <summary>One value from the test database (null when there is no row).</summary>
    public async Task<T?> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var result = await command.ExecuteScalarAsync();
        return result is null or DBNull ? default : (T)result;
    }

    public Task<string?> StateAsync(string callSid) =>
        ScalarAsync<string>("SELECT state FROM intake.inbound_calls WHERE provider_call_id = @sid", ("sid", callSid));

    public async Task<Guid> ContactIdAsync(string callSid) =>
        await ScalarAsync<Guid?>("SELECT id FROM intake.inbound_calls WHERE provider_call_id = @sid", ("sid", callSid))
        ?? throw new InvalidOperationException($"No call {callSid} stored.");

    public Task<long> CountAsync(string sql) => Database.CountAsync(sql);
}

/// <summary>Starts on Wednesday 10 June 2026 at 14:00 BST: open.</summary>
public sealed class OpenHelplineFixture() : TelephonyFixture(new DateTimeOffset(2026, 6, 10, 13, 0, 0, TimeSpan.Zero));

/// <summary>The open helpline, with Intake's database behind a proxy the test can cut.</summary>
public sealed class DatabaseOutageFixture() : TelephonyFixture(new DateTimeOffset(2026, 6, 10, 13, 0, 0, TimeSpan.Zero), proxyPostgres: true);

/// <summary>Starts before the first call of the year-long walk.</summary>
public sealed class CalendarFixture() : TelephonyFixture(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
