using Microsoft.AspNetCore.SignalR;

namespace Helpline.Console.Web;

/// <summary>
/// Logs hub method failures at the level they deserve. A <see cref="HubException"/> is a refusal the
/// caller is told about (an offer that expired, a status out of range): routine, so Debug. Anything
/// else is a fault: Error, with the method's name only (arguments may carry personal data). SignalR's
/// own dispatcher, which logs every failure at Error, is turned down in appsettings.json.
/// </summary>
internal sealed partial class HubFailureLogging(ILogger<HubFailureLogging> logger) : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(invocationContext);
        }
        catch (HubException)
        {
            LogRefused(logger, invocationContext.Hub.GetType().Name, invocationContext.HubMethodName);
            throw;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogFailed(logger, exception, invocationContext.Hub.GetType().Name, invocationContext.HubMethodName);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Hub}.{Method} refused the caller")]
    private static partial void LogRefused(ILogger logger, string hub, string method);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Hub}.{Method} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string hub, string method);
}
