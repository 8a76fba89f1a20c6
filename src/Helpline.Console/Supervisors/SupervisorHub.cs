using Helpline.Console.Accounts;
using Helpline.Console.Records;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace Helpline.Console.Supervisors;

/// <summary>
/// Supervisors' live connection (contract: docs/api.md). Server-to-client only for now: alerts that
/// need a supervisor at once. Supervisor role required; advisors and anonymous callers are refused.
/// </summary>
[Authorize(Policy = Policies.Supervisor)]
internal sealed class SupervisorHub : Hub<ISupervisorClient>
{
    public const string Path = "/hubs/supervisor";
}

/// <summary>What the server calls on a supervisor's client at <c>/hubs/supervisor</c> (public, as <see cref="Advisors.IAdvisorClient"/> is).</summary>
public interface ISupervisorClient
{
    /// <summary>An advisor marked a contact urgent: contact id, advisor id and when; no caller data.</summary>
    Task UrgentContactRaised(UrgentContactRaised alert);
}
