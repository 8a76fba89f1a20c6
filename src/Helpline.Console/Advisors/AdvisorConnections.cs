using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace Helpline.Console.Advisors;

/// <summary>
/// The advisor hub connections open on this instance, by user id, so that signing out (or an admin
/// disabling the account) can close them. Every instance closes its own on <see cref="AdvisorSessionEnded"/>.
/// </summary>
internal sealed class AdvisorConnections
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, HubCallerContext>> _byUser = new(StringComparer.Ordinal);

    public void Add(HubCallerContext context)
    {
        _byUser.GetOrAdd(context.UserIdentifier!, _ => new(StringComparer.Ordinal))[context.ConnectionId] = context;
    }

    public void Remove(HubCallerContext context)
    {
        if (_byUser.TryGetValue(context.UserIdentifier!, out var connections))
        {
            connections.TryRemove(context.ConnectionId, out _);
        }
    }

    /// <summary>How many connections the user has open here.</summary>
    public int Count(Guid userId) => _byUser.TryGetValue(userId.ToString(), out var connections) ? connections.Count : 0;

    /// <summary>Closes every connection the user has open here; returns how many there were.</summary>
    public int Close(Guid userId)
    {
        if (!_byUser.TryGetValue(userId.ToString(), out var connections))
        {
            return 0;
        }

        var closed = 0;
        foreach (var (connectionId, context) in connections)
        {
            if (connections.TryRemove(connectionId, out _))
            {
                context.Abort();
                closed++;
            }
        }

        return closed;
    }
}

/// <summary>
/// The user's sessions ended (signed out, or disabled by an admin): published to every Console
/// instance, each of which closes the user's hub connections it holds.
/// </summary>
internal sealed record AdvisorSessionEnded
{
    public required Guid UserId { get; init; }
}
