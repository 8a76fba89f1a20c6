using Helpline.Console.Data;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Helpline.Console.Supervisors;

/// <summary>The supervisors connected to this instance, counted so the dashboard is only put together for someone.</summary>
internal sealed class SupervisorConnections
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Add() => Interlocked.Increment(ref _count);

    public void Remove() => Interlocked.Decrement(ref _count);
}

/// <summary>
/// Pushes the dashboard to the supervisors connected to this instance whenever the router commits a
/// transition, on any instance: a trigger on <c>router_journal</c> sends a PostgreSQL notification at each
/// commit, which every Console instance listens for on a connection of its own. Changes that come
/// close together are pushed together, at most every <see cref="MinInterval"/>, so a busy router does
/// not flood the browsers while a change still shows within a second. An urgent flag (raised by an
/// advisor's contact record, not by the router) asks for a push too.
/// </summary>
internal sealed partial class DashboardPublisher(
    IServiceScopeFactory scopes,
    IHubContext<SupervisorHub, ISupervisorClient> hub,
    SupervisorConnections connections,
    TimeProvider time,
    ILogger<DashboardPublisher> logger) : BackgroundService
{
    public const string Channel = "helpline_router_changed";
    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan ListenRetry = TimeSpan.FromSeconds(2);
    private readonly SemaphoreSlim _changed = new(0, 1);

    /// <summary>Something the dashboard shows changed: push it soon.</summary>
    public void Changed()
    {
        try
        {
            _changed.Release();
        }
        catch (SemaphoreFullException)
        {
            // A push is already due; it will include this change.
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(ListenAsync(stoppingToken), PushAsync(stoppingToken));

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var connectionString = scope.ServiceProvider.GetRequiredService<ConsoleDbContext>().Database.GetConnectionString();
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, _) => Changed();
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                // Anything that happened while not listening.
                Changed();
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException or TimeoutException)
            {
                LogListenFailed(logger, exception.GetType().Name);
                await Task.Delay(ListenRetry, time, stoppingToken);
            }
        }
    }

    private async Task PushAsync(CancellationToken stoppingToken)
    {
        var last = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _changed.WaitAsync(stoppingToken);
                var wait = last + MinInterval - time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time, stoppingToken);
                }

                // Changes that arrived during the wait are in this push.
                _changed.Wait(0, CancellationToken.None);
                last = time.GetUtcNow();
                if (connections.Count > 0)
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var dashboard = await scope.ServiceProvider.GetRequiredService<DashboardReader>().ReadAsync(stoppingToken);
                    await hub.Clients.All.DashboardChanged(dashboard);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException or TimeoutException or DbUpdateException)
            {
                LogPushFailed(logger, exception.GetType().Name);
                Changed();
                await Task.Delay(ListenRetry, time, stoppingToken);
            }
        }
    }

    public override void Dispose()
    {
        _changed.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening for router changes failed ({Error}); trying again")]
    private static partial void LogListenFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pushing the supervisors' dashboard failed ({Error}); trying again")]
    private static partial void LogPushFailed(ILogger logger, string error);
}
