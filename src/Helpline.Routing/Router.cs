namespace Helpline.Routing;

/// <summary>The routing core: <c>(state, event, now) → (state', decisions)</c>, deterministic and free of I/O.</summary>
public static class Router
{
    /// <summary>
    /// Fires the timers due by <paramref name="now"/>, applies <paramref name="routingEvent"/> (or rejects it
    /// without changing anything), fires timers that became due, then offers every contact that can be offered.
    /// A <paramref name="now"/> earlier than the state's clock is treated as the clock.
    /// </summary>
    public static IReadOnlyList<RoutingDecision> Apply(RouterState state, RoutingEvent routingEvent, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(routingEvent);
        return state.Apply(routingEvent, now);
    }
}
