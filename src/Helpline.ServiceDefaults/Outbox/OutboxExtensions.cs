using Helpline.ServiceDefaults.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

public static class OutboxExtensions
{
    /// <summary>
    /// The transactional outbox for <typeparamref name="TContext"/>: rows added to its
    /// <c>OutboxMessages</c> are published after commit by a background dispatcher.
    /// Call <see cref="OutboxSignal.Notify"/> after a commit to publish at once. Messages about one
    /// contact (a <c>ContactId</c> property) are published in the order they were committed, and so are
    /// those about none; each of the <paramref name="independentTypes"/> is a stream of its own,
    /// published side by side with the rest: for types whose consumers do not rely on their order
    /// relative to the others, so that a burst of them holds nothing else up.
    /// </summary>
    public static IHostApplicationBuilder AddTransactionalOutbox<TContext>(this IHostApplicationBuilder builder, params Type[] independentTypes)
        where TContext : DbContext, IOutboxContext
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddValidatedOptions<OutboxOptions>(OutboxOptions.Section);
        builder.Services.AddSingleton(new OutboxStreams(independentTypes));
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton<OutboxMetrics>();
        builder.Services.AddHostedService<OutboxDispatcher<TContext>>();
        builder.AddDeadLetterStore(services => ActivatorUtilities.CreateInstance<OutboxDeadLetters<TContext>>(services));
        return builder;
    }
}
