using Microsoft.AspNetCore.SignalR;

namespace Helpline.Console.Web;

/// <summary>
/// Turns away hub connections that arrive once the instance is shutting down. SignalR closes the
/// connections it has when shutdown starts, and clients reconnect at once; the web server keeps
/// accepting until it stops last, and would then wait for a connection that arrived meanwhile until
/// the host's shutdown timeout. Aborted straight away, the client reconnects to another instance.
/// </summary>
internal sealed class ShuttingDownHubFilter(IHostApplicationLifetime lifetime) : IHubFilter
{
    public Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            context.Context.Abort();
            return Task.CompletedTask;
        }

        return next(context);
    }
}
