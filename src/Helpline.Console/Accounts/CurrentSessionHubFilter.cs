using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.SignalR;

namespace Helpline.Console.Accounts;

/// <summary>
/// The current-session rule on both hubs, for the life of each connection: the connection is registered
/// (<see cref="SessionConnections"/>) before the hub's own <c>OnConnectedAsync</c>, so that a session
/// ending during the resync still closes it; and every method invocation checks the security stamp
/// again, so a credential of an ended session is refused (<c>SessionEnded</c>) and its connection
/// closed, even before <see cref="SessionSweeper"/> gets to it.
/// </summary>
internal sealed class CurrentSessionHubFilter(SessionConnections connections) : IHubFilter
{
    public const string Refusal = "SessionEnded: the session has ended; sign in again.";

    public Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        connections.Add(context.Context);
        return next(context);
    }

    public Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        connections.Remove(context.Context);
        return next(context, exception);
    }

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var signIn = invocationContext.ServiceProvider.GetRequiredService<SignInManager<HelplineUser>>();
        if (await signIn.ValidateSecurityStampAsync(invocationContext.Context.User) is null)
        {
            connections.Remove(invocationContext.Context);
            invocationContext.Context.Abort();
            throw new HubException(Refusal);
        }

        return await next(invocationContext);
    }
}
