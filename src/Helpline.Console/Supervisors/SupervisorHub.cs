using Helpline.Console.Accounts;
using Helpline.Console.Audit;
using Helpline.Console.Data;
using Helpline.Console.Records;
using Helpline.Console.RouterHosting;
using Helpline.Routing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace Helpline.Console.Supervisors;

/// <summary>
/// Supervisors' live connection (contract: docs/api.md): the dashboard, pushed on every change (see
/// <see cref="DashboardPublisher"/>) and sent whole on every (re)connection; urgent alerts; and putting
/// an advisor on Break or back to Available, audited. Supervisor policy on the hub and on every method;
/// advisors and anonymous callers are refused.
/// </summary>
[Authorize(Policy = Policies.Supervisor)]
internal sealed class SupervisorHub(
    DashboardReader dashboards,
    SupervisorConnections connections,
    AdvisorCommands commands,
    RouterStateReader reader,
    ConsoleDbContext db,
    AuditTrail audit) : Hub<ISupervisorClient>
{
    public const string Path = "/hubs/supervisor";

    public override async Task OnConnectedAsync()
    {
        connections.Add();
        await Clients.Caller.DashboardChanged(await dashboards.ReadAsync(Context.ConnectionAborted));
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        connections.Remove();
        return base.OnDisconnectedAsync(exception);
    }

    /// <summary>The dashboard now (the same as the pushes).</summary>
    [Authorize(Policy = Policies.Supervisor)]
    public Task<Dashboard> GetDashboard() => dashboards.ReadAsync(Context.ConnectionAborted);

    /// <summary>
    /// Puts a signed-in advisor on Break (with a reason) or back to Available, as the advisor could
    /// themselves; during a call or wrap-up the router applies it when the wrap-up ends. Refused (a
    /// <see cref="HubException"/> with a code) for an advisor who is not signed in, another status, or a
    /// reason longer than the advisors' own limit. Audited as <c>advisor.status.set</c>.
    /// </summary>
    [Authorize(Policy = Policies.Supervisor)]
    public async Task SetAdvisorStatus(Guid advisorId, string status, string? reason)
    {
        if (!Enum.TryParse<AdvisorStatus>(status, ignoreCase: true, out var parsed) || parsed is not (AdvisorStatus.Available or AdvisorStatus.Break))
        {
            throw new HubException("InvalidStatus: a supervisor can put an advisor on Break or back to Available.");
        }

        if (reason is { Length: > Advisors.AdvisorHub.MaxReasonLength })
        {
            throw new HubException($"InvalidReason: a reason has at most {Advisors.AdvisorHub.MaxReasonLength} characters.");
        }

        var now = await reader.ReadAsync(db, (state, _) => state.FindAdvisor(advisorId)?.Status, Context.ConnectionAborted);
        if (now is null or AdvisorStatus.Offline)
        {
            throw new HubException("NotSignedIn: that advisor is not signed in.");
        }

        var breakReason = parsed == AdvisorStatus.Break ? reason ?? "supervisor" : null;
        var result = await commands.SendAsync(new AdvisorCommand.SetStatus(advisorId, parsed, breakReason), Context.ConnectionAborted);
        if (!result.Applied)
        {
            throw new HubException($"{result.Code}: {result.Message}");
        }

        await audit.RecordAsync("advisor.status.set", target: advisorId.ToString(), detail: breakReason is null ? parsed.ToString() : $"{parsed} ({breakReason})", cancellationToken: Context.ConnectionAborted);
    }
}

/// <summary>What the server calls on a supervisor's client at <c>/hubs/supervisor</c> (public, as <see cref="Advisors.IAdvisorClient"/> is).</summary>
public interface ISupervisorClient
{
    /// <summary>An advisor marked a contact urgent: contact id, advisor id and when; no caller data.</summary>
    Task UrgentContactRaised(UrgentContactRaised alert);

    /// <summary>The whole dashboard, on connection and after every change (at most four times a second).</summary>
    Task DashboardChanged(Dashboard dashboard);
}
