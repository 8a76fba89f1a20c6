namespace Helpline.FaultCampaign;

/// <summary>
/// The running system a campaign drives and checks: its public edges, who may use them, and where to look
/// from outside afterwards (each service's database, the broker's queues).
/// </summary>
/// <param name="Intake">Intake's address (stays the same across restarts).</param>
/// <param name="Consoles">Every Console instance's address; advisors spread over them and move to another when theirs dies.</param>
/// <param name="AdminUserName">A Console admin, who creates the run's advisors.</param>
/// <param name="AdminPassword">That admin's password (never printed).</param>
/// <param name="IntakeKey">An integration key with the calls scope (never printed).</param>
/// <param name="IntakeDatabase">A connection string that reads schema <c>intake</c>.</param>
/// <param name="ConsoleDatabase">A connection string that reads schema <c>console</c>.</param>
/// <param name="Queues">Every queue of the system's virtual host with its message count.</param>
public sealed record CampaignTarget(
    Uri Intake,
    IReadOnlyList<Uri> Consoles,
    string AdminUserName,
    string AdminPassword,
    string IntakeKey,
    string IntakeDatabase,
    string ConsoleDatabase,
    Func<CancellationToken, Task<IReadOnlyDictionary<string, long>>> Queues);

/// <summary>How the traffic runs.</summary>
/// <param name="Rate">Calls per second, held from start to the last fault's recovery (and <paramref name="Tail"/> after).</param>
/// <param name="Advisors">Advisors signed in, who accept every offer.</param>
/// <param name="Patience">How long a caller waits for an advisor before hanging up.</param>
/// <param name="Quiet">Steady traffic before the first fault and between faults.</param>
/// <param name="Tail">Steady traffic after the last fault.</param>
/// <param name="Recovery">The most a fault may take to recover before the campaign calls it failed.</param>
/// <param name="Drain">The most the system may take, once calls stop, to bring every call to its end.</param>
public sealed record CampaignSettings(
    double Rate,
    int Advisors,
    TimeSpan Patience,
    TimeSpan Quiet,
    TimeSpan Tail,
    TimeSpan Recovery,
    TimeSpan Drain);

/// <summary>
/// One fault (or several at once): <paramref name="Inject"/> it, hold it for <paramref name="Hold"/>, then
/// <paramref name="Lift"/> it (restart what was killed, start what was stopped, thaw what was frozen).
/// </summary>
public sealed record FaultStep(string Name, Func<CancellationToken, Task> Inject, TimeSpan Hold, Func<CancellationToken, Task> Lift)
{
    /// <summary>Several faults injected together and lifted together (in reverse order).</summary>
    public static FaultStep Overlapping(params FaultStep[] faults)
    {
        ArgumentNullException.ThrowIfNull(faults);
        return new FaultStep(
            string.Join(" + ", faults.Select(fault => fault.Name)),
            async cancellationToken =>
            {
                foreach (var fault in faults)
                {
                    await fault.Inject(cancellationToken);
                }
            },
            faults.Max(fault => fault.Hold),
            async cancellationToken =>
            {
                foreach (var fault in faults.Reverse())
                {
                    await fault.Lift(cancellationToken);
                }
            });
    }
}
