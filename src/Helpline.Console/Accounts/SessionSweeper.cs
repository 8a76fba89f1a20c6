using Helpline.Console.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helpline.Console.Accounts;

/// <summary>
/// Every <see cref="AccountOptions.SessionCheckInterval"/>, on every instance: reads the security stamps
/// of the accounts with a hub connection open here (one query) and closes each connection whose
/// credential no longer carries its account's stamp. However a session ended (sign-out, a password
/// change, an admin disabling the account, on any instance, even with the bus down), its connections
/// here close within that interval; a connection that is only listening is closed too.
/// </summary>
internal sealed partial class SessionSweeper(
    IServiceScopeFactory scopes,
    SessionConnections connections,
    IOptions<AccountOptions> options,
    IOptions<IdentityOptions> identity,
    TimeProvider time,
    ILogger<SessionSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SessionCheckInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogSweepFailed(logger, exception);
            }
        }
    }

    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        var users = connections.Users();
        if (users.Count == 0)
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConsoleDbContext>();
        var stamps = await db.Users.AsNoTracking()
            .Where(u => users.Contains(u.Id))
            .Select(u => new { u.Id, u.SecurityStamp })
            .ToDictionaryAsync(u => u.Id, u => u.SecurityStamp, cancellationToken);
        var claimType = identity.Value.ClaimsIdentity.SecurityStampClaimType;
        foreach (var user in users)
        {
            if (connections.CloseStale(user, stamps.GetValueOrDefault(user), claimType) is > 0 and var closed)
            {
                LogClosed(logger, user, closed);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Closed {Count} hub connections of account {UserId}: its session has ended")]
    private static partial void LogClosed(ILogger logger, Guid userId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checking the sessions of open hub connections failed; trying again at the next interval")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
