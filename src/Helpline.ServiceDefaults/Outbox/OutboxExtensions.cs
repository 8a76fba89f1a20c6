using Helpline.ServiceDefaults.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

public static class OutboxExtensions
{
    /// <summary>
    /// The transactional outbox for <typeparamref name="TContext"/>: rows added to its
    /// <c>OutboxMessages</c> are published after commit by a background dispatcher.
    /// Call <see cref="OutboxSignal.Notify"/> after a commit to publish at once.
    /// </summary>
    public static IHostApplicationBuilder AddTransactionalOutbox<TContext>(this IHostApplicationBuilder builder)
        where TContext : DbContext, IOutboxContext
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<OutboxOptions>()
            .BindConfiguration(OutboxOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton<OutboxMetrics>();
        builder.Services.AddHostedService<OutboxDispatcher<TContext>>();
        return builder;
    }
}
