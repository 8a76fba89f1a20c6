using System.Net;
using System.Net.Sockets;

namespace Helpline.Testing;

/// <summary>
/// A loopback TCP proxy in front of a real server, for outages that only the test's services see (the
/// shared test servers stay up for every other test). <see cref="Cut"/> is the server going away
/// (every connection reset, new ones reset at once, as after <c>pg_ctl stop -m immediate</c>);
/// <see cref="Restore"/> brings it back. <see cref="Freeze"/> is a stalled network path: connections stay
/// open but nothing passes either way, and new ones are accepted and left waiting, until <see cref="Thaw"/>.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private readonly IPEndPoint _target;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private readonly List<(Socket Client, Socket Server)> _links = [];
    private readonly Task _accepting;
    private volatile bool _cut;
    private volatile TaskCompletionSource _flowing = Flowing();

    public FaultProxy(string host, int port)
    {
        _target = new IPEndPoint(Dns.GetHostAddresses(host).First(a => a.AddressFamily == AddressFamily.InterNetwork), port);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>A proxy in front of the PostgreSQL server of <paramref name="connectionString"/>, and that connection string through it.</summary>
    public static (FaultProxy Proxy, string ConnectionString) ForPostgres(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        var proxy = new FaultProxy(builder.Host!, builder.Port);
        builder.Host = "127.0.0.1";
        builder.Port = proxy.Port;
        return (proxy, builder.ConnectionString);
    }

    public void Cut()
    {
        _cut = true;
        ResetAll();
    }

    public void Restore() => _cut = false;

    /// <summary>Stops every byte in both directions, keeping the connections open.</summary>
    public void Freeze()
    {
        if (_flowing.Task.IsCompleted)
        {
            _flowing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>Lets what waited through, in order.</summary>
    public void Thaw() => _flowing.TrySetResult();

    private static TaskCompletionSource Flowing()
    {
        var flowing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        flowing.SetResult();
        return flowing;
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stopping.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            if (_cut)
            {
                Reset(client);
                continue;
            }

            _ = LinkAsync(client);
        }
    }

    private async Task LinkAsync(Socket client)
    {
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await _flowing.Task.WaitAsync(_stopping.Token);
            await server.ConnectAsync(_target, _stopping.Token);
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException)
        {
            Reset(client);
            server.Dispose();
            return;
        }

        lock (_lock)
        {
            _links.Add((client, server));
        }

        await Task.WhenAny(PumpAsync(client, server), PumpAsync(server, client));
        Reset(client);
        Reset(server);
        lock (_lock)
        {
            _links.Remove((client, server));
        }
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stopping.Token);
                if (read == 0)
                {
                    return;
                }

                if (_cut)
                {
                    return;
                }

                await _flowing.Task.WaitAsync(_stopping.Token);
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stopping.Token);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private void ResetAll()
    {
        lock (_lock)
        {
            foreach (var (client, server) in _links)
            {
                Reset(client);
                Reset(server);
            }
        }
    }

    /// <summary>Closes with a TCP reset (linger 0), as a server that died does.</summary>
    private static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        ResetAll();
        await _accepting;
        _stopping.Dispose();
    }
}
