using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Npgsql;

namespace Helpline.Testing;

/// <summary>
/// The real servers deploy/local/test.sh starts for the tests, read from its environment
/// variables. Running tests without that script fails here with a message saying so.
/// </summary>
public static class TestServers
{
    public static string Postgres => Require("HELPLINE_TEST_POSTGRES");

    public static Broker RabbitMq => new(Require("HELPLINE_TEST_RABBITMQ"), Require("HELPLINE_TEST_RABBITMQ_MANAGEMENT"));

    /// <summary>A broker of its own that tests may stop and start (the end-to-end tests' <c>ChaosBrokerCollection</c>).</summary>
    public static Broker ChaosRabbitMq => new(Require("HELPLINE_TEST_CHAOS_RABBITMQ"), Require("HELPLINE_TEST_CHAOS_RABBITMQ_MANAGEMENT"));

    public static string Require(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set: run the tests with deploy/local/test.sh, which starts PostgreSQL and RabbitMQ for them.");

    /// <summary>The repository's root folder (where Helpline.sln is).</summary>
    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Helpline.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("Helpline.sln not found above the test binaries.");
        }
    }

    /// <summary>A loopback port nobody listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string UniqueName(string prefix) => $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 60)];
}

public sealed record Broker(string AmqpBase, string ManagementBase);

/// <summary>A database of its own for one test class; dropped at the end.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private TestDatabase(string name) => ConnectionString = new NpgsqlConnectionStringBuilder(TestServers.Postgres) { Database = name }.ConnectionString;

    public string ConnectionString { get; }

    /// <summary>Names a fresh database; EF Core migrations create it.</summary>
    public static TestDatabase Create(string prefix) => new(TestServers.UniqueName(prefix));

    public async Task<long> CountAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Runs a statement (or several), returning the rows affected.</summary>
    public async Task<int> ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>The first column of the first row, as text (null when there is no row or it is null).</summary>
    public async Task<string?> TextAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync() is { } value and not DBNull ? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        var name = new NpgsqlConnectionStringBuilder(ConnectionString).Database;
        await using var connection = new NpgsqlConnection(TestServers.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>A RabbitMQ virtual host of its own for one test class, so parallel tests never see each other's messages.</summary>
public sealed class TestVirtualHost : IAsyncDisposable
{
    private readonly HttpClient _management;

    private TestVirtualHost(Broker broker, string name)
    {
        Name = name;
        ConnectionString = $"{broker.AmqpBase}/{name}";
        _management = new HttpClient { BaseAddress = new Uri(broker.ManagementBase) };
        _management.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes("guest:guest")));
    }

    public string Name { get; }

    /// <summary>The amqp:// address to give a service as ConnectionStrings:RabbitMq.</summary>
    public string ConnectionString { get; }

    public static async Task<TestVirtualHost> CreateAsync(Broker? broker = null)
    {
        var host = new TestVirtualHost(broker ?? TestServers.RabbitMq, TestServers.UniqueName("test"));
        (await host._management.PutAsync($"api/vhosts/{host.Name}", null)).EnsureSuccessStatusCode();
        (await host._management.PutAsJsonAsync($"api/permissions/{host.Name}/guest", new { configure = ".*", write = ".*", read = ".*" })).EnsureSuccessStatusCode();
        return host;
    }

    /// <summary>Messages waiting in a queue of this virtual host, as the broker's management API reports them.</summary>
    public async Task<int?> QueueDepthAsync(string queue)
    {
        var response = await _management.GetAsync($"api/queues/{Name}/{queue}");
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        var body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        return body.TryGetProperty("messages", out var messages) ? messages.GetInt32() : 0;
    }

    /// <summary>Every <c>_error</c> queue of this virtual host that holds a message, with its depth.</summary>
    public async Task<IReadOnlyDictionary<string, int>> DeadLettersAsync()
    {
        var queues = await _management.GetFromJsonAsync<System.Text.Json.JsonElement>($"api/queues/{Name}");
        return queues.EnumerateArray()
            .Select(q => (Name: q.GetProperty("name").GetString()!, Messages: q.TryGetProperty("messages", out var m) ? m.GetInt32() : 0))
            .Where(q => q.Name.EndsWith("_error", StringComparison.Ordinal) && q.Messages > 0)
            .ToDictionary(q => q.Name, q => q.Messages);
    }

    public async ValueTask DisposeAsync()
    {
        await _management.DeleteAsync($"api/vhosts/{Name}");
        _management.Dispose();
    }
}
