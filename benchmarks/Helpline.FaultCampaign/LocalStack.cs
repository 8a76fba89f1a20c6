using System.Diagnostics;
using System.Globalization;
using Helpline.Testing;

namespace Helpline.FaultCampaign;

/// <summary>Where the campaign's own system runs: a work folder and ports of its own, away from run.sh's defaults.</summary>
internal sealed record StackOptions(string WorkDirectory, int IntakePort, int ConsolePort, int PostgresPort, int RabbitMqPort);

/// <summary>
/// A whole system the campaign owns, so it can kill any part of it: PostgreSQL and RabbitMQ set up and
/// started by <c>deploy/local/run.sh --servers-only</c> under the work folder (roles, broker users,
/// migrations, integration key and admin, as run.sh makes them), a <see cref="FaultProxy"/> in front of
/// PostgreSQL that can freeze, and Intake and two Console instances as processes of the Release build
/// with run.sh's configuration, keys included (Console alone gets the records keys and the Data Protection
/// key-encryption key), plus opening hours round the clock and sign-in limits for one machine.
/// Stopped and torn down (servers included) when disposed; the data stays in the work folder.
/// </summary>
internal sealed class LocalStack : IAsyncDisposable
{
    /// <summary>How long a (re)started service may take to be ready: minutes, on a machine busy with other work.</summary>
    private static readonly TimeSpan ReadyWithin = TimeSpan.FromMinutes(3);

    private readonly StackOptions _options;
    private readonly string _root = TestServers.RepositoryRoot;
    private readonly FaultProxy _proxy;
    private readonly ServiceProcess?[] _consoles = new ServiceProcess?[2];
    private readonly bool[] _alive = new bool[2];
    private ServiceProcess? _intake;

    private readonly IReadOnlyDictionary<string, string?> _extra;

    private LocalStack(StackOptions options, IReadOnlyDictionary<string, string?> extra)
    {
        _options = options;
        _extra = extra;
        _proxy = new FaultProxy("127.0.0.1", options.PostgresPort);
    }

    public CampaignTarget Target { get; private set; } = null!;

    /// <summary>The Console instance that routes now (the first of the two to start).</summary>
    public int Routing { get; private set; }

    /// <param name="extra">Settings both services get besides run.sh's (the hostile mode's Twilio webhooks).</param>
    public static async Task<LocalStack> StartAsync(StackOptions options, IReadOnlyDictionary<string, string?> extra, TextWriter log)
    {
        Directory.CreateDirectory(options.WorkDirectory);
        await RunAsync(log, "bash", [Path.Combine(TestServers.RepositoryRoot, "deploy", "local", "run.sh"), "--servers-only"], Environment(options));
        var stack = new LocalStack(options, extra);
        try
        {
            stack.Target = new CampaignTarget(
                Loopback(options.IntakePort),
                [Loopback(options.ConsolePort), Loopback(options.ConsolePort + 1)],
                "admin",
                stack.Secret("admin-password"),
                stack.Secret("integration-key"),
                stack.Direct("intake"),
                stack.Direct("console"),
                stack.QueuesAsync);
            await stack.StartIntakeAsync();
            await stack.StartConsoleAsync(0);
            await stack.StartConsoleAsync(1);
            log.WriteLine($"Intake on {options.IntakePort}, Console on {options.ConsolePort} (routing) and {options.ConsolePort + 1}, PostgreSQL {options.PostgresPort} (services through a proxy on {stack._proxy.Port}), RabbitMQ {options.RabbitMqPort}; logs in {stack.Logs}");
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    private string Logs => Path.Combine(_options.WorkDirectory, "logs");

    public void KillIntake() => _intake?.Kill();

    public async Task StartIntakeAsync()
    {
        _intake?.Dispose();
        _intake = null;
        _intake = await ServiceProcess.StartAsync("Intake", Settings("intake"), Path.Combine(Logs, "campaign-intake.log"), _options.IntakePort, ReadyWithin);
    }

    /// <summary>Kills Console <paramref name="index"/>; if it routed, the other one routes now.</summary>
    public void KillConsole(int index)
    {
        _consoles[index]?.Kill();
        _alive[index] = false;
        if (index == Routing && _alive[1 - index])
        {
            Routing = 1 - index;
        }
    }

    public async Task StartConsoleAsync(int index)
    {
        _consoles[index]?.Dispose();
        _consoles[index] = null;
        _consoles[index] = await ServiceProcess.StartAsync("Console", Settings("console"), Path.Combine(Logs, $"campaign-console-{index}.log"), _options.ConsolePort + index, ReadyWithin);
        if (!_alive[1 - index])
        {
            Routing = index;
        }

        _alive[index] = true;
    }

    public Task CrashPostgresAsync(CancellationToken cancellationToken) => ServersAsync("pg-crash", [], cancellationToken);

    public Task StartPostgresAsync(CancellationToken cancellationToken) => ServersAsync("pg-start", [_options.PostgresPort.ToString(CultureInfo.InvariantCulture)], cancellationToken);

    public Task StopRabbitMqAsync(CancellationToken cancellationToken) => ServersAsync("rmq-stop", [], cancellationToken);

    public Task StartRabbitMqAsync(CancellationToken cancellationToken) => ServersAsync("rmq-start", [_options.RabbitMqPort.ToString(CultureInfo.InvariantCulture)], cancellationToken);

    public void Freeze() => _proxy.Freeze();

    public void Thaw() => _proxy.Thaw();

    public async ValueTask DisposeAsync()
    {
        _intake?.Dispose();
        foreach (var console in _consoles)
        {
            console?.Dispose();
        }

        await _proxy.DisposeAsync();
        await RunAsync(TextWriter.Null, "bash", [Path.Combine(_root, "deploy", "local", "run.sh"), "stop"], Environment(_options));
    }

    private async Task<IReadOnlyDictionary<string, long>> QueuesAsync(CancellationToken cancellationToken)
    {
        var output = await ServersAsync("queues", [_options.RabbitMqPort.ToString(CultureInfo.InvariantCulture)], cancellationToken);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t'))
            .Where(fields => fields.Length == 2 && long.TryParse(fields[1], CultureInfo.InvariantCulture, out _))
            .ToDictionary(fields => fields[0], fields => long.Parse(fields[1], CultureInfo.InvariantCulture), StringComparer.Ordinal);
    }

    private Task<string> ServersAsync(string command, string[] arguments, CancellationToken cancellationToken) =>
        RunAsync(TextWriter.Null, "bash", [Path.Combine(_root, "benchmarks", "Helpline.FaultCampaign", "servers.sh"), command, _options.WorkDirectory, .. arguments], new Dictionary<string, string>(), cancellationToken);

    /// <summary>run.sh's configuration of a service, its database through the proxy.</summary>
    public Dictionary<string, string?> Settings(string service)
    {
        var settings = new Dictionary<string, string?>(HelplineSettings.AlwaysOpen)
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ConnectionStrings:Postgres"] = $"Host=127.0.0.1;Port={_proxy.Port};Username=helpline_{service};Password={Secret($"postgres-{service}-password")};Database=helpline",
            ["ConnectionStrings:RabbitMq"] = $"amqp://helpline-{service}:{Uri.EscapeDataString(Secret($"rabbitmq-{service}-password"))}@127.0.0.1:{_options.RabbitMqPort}/helpline",
            ["CallerIdentity:HashKey"] = Secret("caller-hash-key"),
            ["FieldEncryption:Key"] = Secret("field-encryption-key"),
            // Every advisor of the campaign signs in from this one address.
            ["SignInLimits:PerClient"] = "100000",
            ["RateLimits:PermitsPerWindow"] = "100000",
        };
        foreach (var (key, value) in KeySettings(service))
        {
            settings[key] = value;
        }

        foreach (var (key, value) in _extra)
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>
    /// The keys run.sh gives a service besides <c>FieldEncryption:Key</c>: the shared keys rotate-keys added
    /// (<c>secrets/field-keys/ID</c>) and the active one; for Console only, the records keys (r1 and those in
    /// <c>secrets/records-keys</c>), the active records key and the Data Protection key-encryption key.
    /// </summary>
    private IEnumerable<KeyValuePair<string, string?>> KeySettings(string service)
    {
        var secrets = Path.Combine(_options.WorkDirectory, "secrets");
        foreach (var (id, key) in Ring(Path.Combine(secrets, "field-keys")))
        {
            yield return new($"FieldEncryption:Keys:{id}", key);
        }

        if (Optional("field-active-key") is { } active)
        {
            yield return new("FieldEncryption:ActiveKey", active);
        }

        if (service != "console")
        {
            yield break;
        }

        yield return new("FieldEncryption:RecordsKey", Optional("records-active-key") ?? "r1");
        if (Optional("records-encryption-key") is { } first)
        {
            yield return new("FieldEncryption:Keys:r1", first);
        }

        foreach (var (id, key) in Ring(Path.Combine(secrets, "records-keys")))
        {
            yield return new($"FieldEncryption:Keys:{id}", key);
        }

        yield return new("DataProtection:KeyEncryptionKey", Secret("data-protection-key"));
    }

    private static IEnumerable<(string Id, string Key)> Ring(string folder) =>
        Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder).Select(file => (Path.GetFileName(file), File.ReadAllText(file).Trim())).Where(entry => entry.Item2.Length > 0)
            : [];

    private string? Optional(string name)
    {
        var file = Path.Combine(_options.WorkDirectory, "secrets", name);
        return File.Exists(file) && File.ReadAllText(file).Trim() is { Length: > 0 } value ? value : null;
    }

    /// <summary>The service's own role, straight to PostgreSQL (not through the proxy), to read its schema from outside.</summary>
    private string Direct(string service) =>
        $"Host=127.0.0.1;Port={_options.PostgresPort};Username=helpline_{service};Password={Secret($"postgres-{service}-password")};Database=helpline;Pooling=false";

    private string Secret(string name) => File.ReadAllText(Path.Combine(_options.WorkDirectory, "secrets", name)).Trim();

    private static Uri Loopback(int port) => new($"http://127.0.0.1:{port}");

    private static Dictionary<string, string> Environment(StackOptions options) => new()
    {
        ["HELPLINE_DATA_DIR"] = options.WorkDirectory,
        ["HELPLINE_PG_PORT"] = options.PostgresPort.ToString(CultureInfo.InvariantCulture),
        ["HELPLINE_RABBITMQ_PORT"] = options.RabbitMqPort.ToString(CultureInfo.InvariantCulture),
        ["HELPLINE_INTAKE_PORT"] = options.IntakePort.ToString(CultureInfo.InvariantCulture),
        ["HELPLINE_CONSOLE_PORT"] = options.ConsolePort.ToString(CultureInfo.InvariantCulture),
    };

    private static async Task<string> RunAsync(TextWriter log, string file, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        await log.WriteAsync(await errors);
        return process.ExitCode == 0
            ? await output
            : throw new InvalidOperationException($"{string.Join(' ', arguments.Take(2))} failed ({process.ExitCode}): {await errors}");
    }
}
