using System.Diagnostics;
using System.Net;
using Xunit;
using System.Reflection;
namespace Helpline.Testing;

/// <summary>
/// A service (Console or Intake) as a real operating-system process (the built Helpline.X.dll), so a
/// test can kill it outright (SIGKILL), as a crash or a pulled plug would.
/// </summary>
public sealed class ServiceProcess : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private bool _disposed;

    private ServiceProcess(Process process, StreamWriter log, Uri address)
    {
        _process = process;
        _log = log;
        Address = address;
    }

    public Uri Address { get; }

    /// <param name="service"><c>Console</c> or <c>Intake</c>.</param>
    /// <param name="settings">Configuration, as environment variables; <c>ASPNETCORE_ENVIRONMENT</c> among them overrides Testing.</param>
    /// <param name="logFile">Where the process's output goes (appended: a restarted service keeps one log).</param>
    /// <param name="port">The port to listen on (the same across restarts), else a free one.</param>
    /// <param name="readyWithin">How long it may take to answer <c>/health/ready</c> (60 s unless given); killed if it does not.</param>
    public static async Task<ServiceProcess> StartAsync(string service, IReadOnlyDictionary<string, string?> settings, string logFile, int? port = null, TimeSpan? readyWithin = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var configuration = typeof(ServiceProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var dll = Path.Combine(TestServers.RepositoryRoot, "src", $"Helpline.{service}", "bin", configuration, "net10.0", $"Helpline.{service}.dll");
        port ??= TestServers.FreePort();
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var log = new StreamWriter(logFile, append: true) { AutoFlush = true };
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, line) => WriteLine(log, line.Data);
        process.ErrorDataReceived += (_, line) => WriteLine(log, line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var instance = new ServiceProcess(process, log, new Uri($"http://127.0.0.1:{port}"));
        try
        {
            await WaitUntilReadyAsync(instance, service, logFile, readyWithin ?? TimeSpan.FromSeconds(60));
            return instance;
        }
        catch
        {
            instance.Dispose();
            throw;
        }
    }

    private static async Task WaitUntilReadyAsync(ServiceProcess instance, string service, string logFile, TimeSpan readyWithin)
    {
        var process = instance._process;
        using var client = new HttpClient { BaseAddress = instance.Address, Timeout = TimeSpan.FromSeconds(10) };
        await Eventually.WaitAsync(
            async () =>
            {
                Assert.False(process.HasExited, $"{service} exited; see {logFile}");
                try
                {
                    return (await client.GetAsync("/health/ready")).StatusCode;
                }
                catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
                {
                    return HttpStatusCode.ServiceUnavailable;
                }
            },
            status => status == HttpStatusCode.OK, readyWithin, $"the {service} process to be ready");
    }

    /// <summary>Kills the process at once, with no shutdown of any kind.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }

    private static void WriteLine(StreamWriter log, string? line)
    {
        if (line is not null)
        {
            lock (log)
            {
                log.WriteLine(line);
            }
        }
    }
}
