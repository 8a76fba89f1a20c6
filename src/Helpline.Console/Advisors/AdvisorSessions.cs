using Helpline.Console.RouterHosting;
using Helpline.Routing;
using MassTransit;

namespace Helpline.Console.Advisors;

/// <summary>
/// Ends an advisor's presence when their session ends (<see cref="Accounts.SessionRevocation"/>):
/// Offline through the router, the same recorded transition the hub's <c>SetStatus</c> makes (deferred
/// until the contact ends if they are on one).
/// </summary>
internal sealed partial class AdvisorSessions(AdvisorCommands router, ILogger<AdvisorSessions> logger)
{
    public async Task EndAsync(Guid advisorId, CancellationToken cancellationToken)
    {
        try
        {
            var result = await router.SendAsync(
                new AdvisorCommand.SetStatus(advisorId, AdvisorStatus.Offline, null),
                cancellationToken);
            if (!result.Applied)
            {
                LogNotOffline(logger, advisorId, result.Code);
            }
        }
        catch (RequestTimeoutException)
        {
            LogRouterUnavailable(logger, advisorId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Advisor {AdvisorId} signed out but the router refused Offline: {Code}")]
    private static partial void LogNotOffline(ILogger logger, Guid advisorId, string? code);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Advisor {AdvisorId} signed out but the router did not answer: their status stays until it does something else")]
    private static partial void LogRouterUnavailable(ILogger logger, Guid advisorId);
}
