using System.Diagnostics;
using System.Net;
using System.Reflection;
using Helpline.Testing;

namespace Helpline.EndToEnd.Tests;

/// <summary>
/// A Console instance as a real operating-system process (the built Helpline.Console.dll), so a
/// test can kill it outright (SIGKILL), as a crash or a pulled plug would.
/// </summary>
public sealed class ConsoleProcess : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private ConsoleProcess(Process process, StreamWriter log, Uri address)
    {
        _process = process;
        _log = log;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<ConsoleProcess> StartAsync(IReadOnlyDictionary<string, string?> settings, string logFile)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var configuration = typeof(ConsoleProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var dll = Path.Combine(TestServers.RepositoryRoot, "src", "Helpline.Console", "bin", configuration, "net10.0", "Helpline.Console.dll");
        var port = FreePort();
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

        var log = new StreamWriter(logFile) { AutoFlush = true };
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, line) => WriteLine(log, line.Data);
        process.ErrorDataReceived += (_, line) => WriteLine(log, line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var console = new ConsoleProcess(process, log, new Uri($"http://127.0.0.1:{port}"));
        using var client = new HttpClient { BaseAddress = console.Address };
        await Eventually.WaitAsync(
            async () =>
            {
                Assert.False(process.HasExited, $"Console exited; see {logFile}");
                try
                {
                    return (await client.GetAsync("/health/ready")).StatusCode;
                }
                catch (HttpRequestException)
                {
                    return HttpStatusCode.ServiceUnavailable;
                }
            },
            status => status == HttpStatusCode.OK, TimeSpan.FromSeconds(60), "the Console process to be ready");
        return console;
    }

    /// <summary>Kills the process at once, with no shutdown of any kind.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
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

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
