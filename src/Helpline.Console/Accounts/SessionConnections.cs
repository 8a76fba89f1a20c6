using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace Helpline.Console.Accounts;

/// <summary>
/// Every hub connection open on this instance (advisor and supervisor hubs alike), by user id, with the
/// security stamp of the credential it was opened with: ending a session (<see cref="SessionRevocation"/>)
/// closes them here at once, <see cref="SessionEnded"/> on the other instances, and
/// <see cref="SessionSweeper"/> closes any whose stamp is no longer the account's, however it changed.
/// </summary>
internal sealed class SessionConnections
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, HubCallerContext>> _byUser = new(StringComparer.Ordinal);

    public void Add(HubCallerContext context)
    {
        if (context.UserIdentifier is { } user)
        {
            _byUser.GetOrAdd(user, _ => new(StringComparer.Ordinal))[context.ConnectionId] = context;
        }
    }

    public void Remove(HubCallerContext context)
    {
        if (context.UserIdentifier is { } user && _byUser.TryGetValue(user, out var connections))
        {
            connections.TryRemove(context.ConnectionId, out _);
        }
    }

    /// <summary>How many connections the user has open here, on any hub.</summary>
    public int Count(Guid userId) => _byUser.TryGetValue(userId.ToString(), out var connections) ? connections.Count : 0;

    /// <summary>The users with a connection open here.</summary>
    public IReadOnlyList<Guid> Users() =>
        _byUser.Where(entry => !entry.Value.IsEmpty).Select(entry => Guid.Parse(entry.Key)).ToList();

    /// <summary>Closes every connection the user has open here; returns how many there were.</summary>
    public int Close(Guid userId) => Close(userId, _ => true);

    /// <summary>Closes the user's connections here whose credential does not carry <paramref name="stamp"/>; returns how many.</summary>
    public int CloseStale(Guid userId, string? stamp, string stampClaimType) =>
        Close(userId, context => stamp is null || context.User?.FindFirst(stampClaimType)?.Value != stamp);

    private int Close(Guid userId, Func<HubCallerContext, bool> which)
    {
        if (!_byUser.TryGetValue(userId.ToString(), out var connections))
        {
            return 0;
        }

        var closed = 0;
        foreach (var (connectionId, context) in connections)
        {
            if (which(context) && connections.TryRemove(connectionId, out _))
            {
                context.Abort();
                closed++;
            }
        }

        return closed;
    }
}

/// <summary>
/// The user's sessions ended (signed out, password changed, or disabled by an admin): published to every
/// Console instance, each of which closes the user's hub connections it holds.
/// </summary>
internal sealed record SessionEnded
{
    public required Guid UserId { get; init; }
}
