using System.Collections.Concurrent;
using System.Diagnostics;

namespace Helpline.LoadGenerator;

/// <summary>
/// Advisors with accounts of one run's own (<c>prefix-1</c> … <c>prefix-N</c>, so runs never share an
/// advisor), connected and set Available. Disposing asks any still signed in to go Offline and
/// disconnects all. The accounts stay; their passwords are gone with the process.
/// </summary>
internal sealed class AdvisorTeam : IAsyncDisposable
{
    private const int ParallelSignIns = 8;
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    private readonly ConcurrentBag<AdvisorConnection> _members = [];

    public IReadOnlyCollection<AdvisorConnection> Members => _members;

    /// <summary>Creates the advisors' accounts through Console's admin API, connects them and sets them Available.</summary>
    public static async Task<AdvisorTeam> SignInAsync(Target target, string prefix, int size, Counters counters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var team = new AdvisorTeam();
        try
        {
            using var accounts = new ConsoleAccounts(target.Console, target.Admin);
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = ParallelSignIns, CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(Enumerable.Range(1, size), parallel, async (number, token) =>
            {
                var bearerToken = await accounts.CreateAdvisorAsync($"{prefix}-{number}", token);
                var connection = await AdvisorConnection.ConnectAsync(target.Console, bearerToken, counters, token);
                team._members.Add(connection);
                if (!await connection.SetStatusAsync(AdvisorStatus.Available, null, token))
                {
                    throw new InvalidOperationException($"Advisor {prefix}-{number} could not go Available (the reason is counted under SetStatus).");
                }
            });
            return team;
        }
        catch
        {
            await team.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits until no advisor is offered or holding anything; false if <paramref name="limit"/> passed first.</summary>
    public Task<bool> WaitUntilIdleAsync(TimeSpan limit, CancellationToken cancellationToken) =>
        WaitUntilAsync(member => member.IsIdle, limit, cancellationToken);

    /// <summary>
    /// Asks every advisor to go Offline and waits until the router says they are, for at most
    /// <paramref name="limit"/>; the advisors' loops must keep running meanwhile, to finish their calls.
    /// Returns how many are Offline.
    /// </summary>
    public async Task<int> SignOffAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        await Task.WhenAll(_members.Select(member => member.RequestOfflineAsync(cancellationToken)));
        await WaitUntilAsync(member => member.IsOffline, limit, cancellationToken);
        return _members.Count(member => member.IsOffline);
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_members.Select(member => member.RequestOfflineAsync(CancellationToken.None)));
        foreach (var member in _members)
        {
            await member.DisposeAsync();
        }
    }

    private async Task<bool> WaitUntilAsync(Func<AdvisorConnection, bool> condition, TimeSpan limit, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        while (!_members.All(condition))
        {
            if (Stopwatch.GetElapsedTime(started) > limit)
            {
                return false;
            }

            await Task.Delay(Poll, cancellationToken);
        }

        return true;
    }
}
