using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Helpline.Testing;

/// <summary>
/// One Helpline service running for real on Kestrel (a loopback port of its own), so HTTP and
/// SignalR go over real sockets. <typeparamref name="TEntryPoint"/> is any type of the service's assembly.
/// </summary>
public sealed class ServiceHost<TEntryPoint> : WebApplicationFactory<TEntryPoint>
    where TEntryPoint : class
{
    private readonly IReadOnlyDictionary<string, string?> _settings;

    /// <param name="settings">Configuration for the service (see <see cref="HelplineSettings"/>).</param>
    public ServiceHost(IReadOnlyDictionary<string, string?> settings)
    {
        _settings = settings;
        UseKestrel();
    }

    /// <summary>The http://127.0.0.1:port address the service listens on.</summary>
    private bool _disposed;

    public Uri Address { get; private set; } = null!;

    public ServiceHost<TEntryPoint> Start()
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        Address = new Uri(addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
        WaitUntilReady();
        return this;
    }

    /// <summary>
    /// Blocks until <c>/health/ready</c> answers 200: the database answers and the bus has declared its
    /// queues, so a message published right after is not published into a broker with nowhere to put it.
    /// </summary>
    private void WaitUntilReady()
    {
        using var client = CreateHttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/health/ready");
            if (client.Send(request).StatusCode == System.Net.HttpStatusCode.OK)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{typeof(TEntryPoint).Assembly.GetName().Name} did not become ready.");
            }

            Thread.Sleep(100);
        }
    }

    public HttpClient CreateHttpClient() => new() { BaseAddress = Address };

    /// <summary>
    /// Stops the service the way a real shutdown does (hosted services and the bus first), then
    /// disposes it. A second call does nothing (a test may stop an instance before its rig ends).
    /// </summary>
    public override async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (Address is not null)
        {
            await Services.GetRequiredService<IHost>().StopAsync();
        }

        await base.DisposeAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment("Testing");
        builder.UseSetting("urls", "http://127.0.0.1:0");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }
}
