using System.Text.Json;
using Helpline.Console.Data;
using Helpline.Contracts;
using Helpline.Routing;
using Helpline.ServiceDefaults;
using Helpline.ServiceDefaults.Outbox;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helpline.Console.Routing;

/// <summary>
/// Hosts the pure routing core on the instance whose consumer is active on the routing queue.
/// Every transition is committed in one transaction: the events it caused, the contacts' status,
/// the outbox messages and the router's checkpoint with its version. A version that moved on means
/// another instance routed meanwhile: this instance drops its state, reloads, and applies again.
/// Only the routing consumer calls it (one message at a time), so it needs no lock.
/// </summary>
public sealed partial class RouterHost(
    TimeProvider time,
    IOptions<RoutingSettings> settings,
    IBus bus,
    OutboxSignal outbox,
    RoutingMetrics metrics,
    ILogger<RouterHost> logger) : IDisposable
{
    internal static readonly JsonSerializerOptions SnapshotJson = new(JsonSerializerDefaults.Web);
    private readonly RoutingOptions _options = settings.Value.ToOptions();
    private readonly List<RoutingDecision> _pending = [];
    private readonly Dictionary<Guid, int> _announcedPositions = [];
    private RouterState? _state;
    private long _version;
    private ITimer? _timer;
    private DateTimeOffset? _timerDueAt;

    /// <summary>Whether the router knows the advisor (loading the state first if needed).</summary>
    public async Task<bool> KnowsAdvisorAsync(ConsoleDbContext db, Guid advisorId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var state = await EnsureLoadedAsync(db, cancellationToken);
        return state.FindAdvisor(advisorId) is not null;
    }

    /// <summary>
    /// Applies the events in order and commits the transition together with whatever the caller
    /// staged on <paramref name="db"/>. Returns the decisions (rejections included).
    /// </summary>
    public async Task<IReadOnlyList<RoutingDecision>> ApplyAsync(ConsoleDbContext db, IReadOnlyList<RoutingEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(events);
        var state = await EnsureLoadedAsync(db, cancellationToken);
        var now = time.GetUtcNow();
        var decisions = new List<RoutingDecision>(_pending);
        try
        {
            foreach (var routingEvent in events)
            {
                decisions.AddRange(Router.Apply(state, routingEvent, now));
            }

            if (decisions.Any(d => d is not Rejected) || db.ChangeTracker.HasChanges())
            {
                await CommitAsync(db, state, decisions, now, cancellationToken);
            }

            _pending.Clear();
        }
        catch
        {
            Forget();
            throw;
        }

        metrics.Transition(events.Count, decisions);
        Schedule(state.NextDueAt, now);
        return decisions;
    }

    private async Task CommitAsync(ConsoleDbContext db, RouterState state, List<RoutingDecision> decisions, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await new DecisionRecorder(db, now).RecordAsync(decisions, cancellationToken);
        AnnounceQueuePositions(db, state, decisions, now);

        var checkpoint = new RouterCheckpoint { Snapshot = JsonSerializer.Serialize(state.ToSnapshot(), SnapshotJson), UpdatedAt = now, Version = _version + 1 };
        if (_version == 0)
        {
            db.RouterCheckpoints.Add(checkpoint);
        }
        else
        {
            db.RouterCheckpoints.Attach(checkpoint);
            var entry = db.Entry(checkpoint);
            entry.Property(c => c.Version).OriginalValue = _version;
            entry.Property(c => c.Version).IsModified = true;
            entry.Property(c => c.Snapshot).IsModified = true;
            entry.Property(c => c.UpdatedAt).IsModified = true;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception is DbUpdateConcurrencyException || exception.IsUniqueViolation())
        {
            LogStale(logger, _version);
            throw new StaleRouterException(exception);
        }

        await transaction.CommitAsync(cancellationToken);
        _version++;
        outbox.Notify();
    }

    /// <summary>Tells Intake the place of each queued call whose place changed, for hold messages.</summary>
    private void AnnounceQueuePositions(ConsoleDbContext db, RouterState state, List<RoutingDecision> decisions, DateTimeOffset now)
    {
        if (!decisions.Any(d => d is ContactQueued or ContactRequeued or Helpline.Routing.ContactAssigned or Helpline.Routing.ContactEnded or OfferMade))
        {
            return;
        }

        var queue = state.QueueSnapshot(ChannelKind.Call, now);
        foreach (var gone in _announcedPositions.Keys.Except(queue.Select(e => e.ContactId)).ToList())
        {
            _announcedPositions.Remove(gone);
        }

        foreach (var entry in queue)
        {
            if (_announcedPositions.TryGetValue(entry.ContactId, out var known) && known == entry.Position)
            {
                continue;
            }

            _announcedPositions[entry.ContactId] = entry.Position;
            db.OutboxMessages.Add(OutboxMessage.Publish(new CallQueueUpdated
            {
                ContactId = entry.ContactId,
                Position = entry.Position,
                EstimatedWait = entry.EstimatedWait,
                At = now,
            }, now));
        }
    }

    private async Task<RouterState> EnsureLoadedAsync(ConsoleDbContext db, CancellationToken cancellationToken)
    {
        if (_state is not null)
        {
            return _state;
        }

        var checkpoint = await db.RouterCheckpoints.AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        var state = checkpoint is null
            ? new RouterState(_options)
            : RouterState.Restore(JsonSerializer.Deserialize<RouterSnapshot>(checkpoint.Snapshot, SnapshotJson)!, _options);
        _version = checkpoint?.Version ?? 0;
        _pending.Clear();
        _pending.AddRange(Router.Apply(state, Tick.Instance, time.GetUtcNow()));
        _announcedPositions.Clear();
        _state = state;
        LogLoaded(logger, _version);
        return state;
    }

    private void Forget()
    {
        _state = null;
        _pending.Clear();
    }

    /// <summary>One timer for the router's next due time; when it fires, a tick goes through the routing queue.</summary>
    private void Schedule(DateTimeOffset? dueAt, DateTimeOffset now)
    {
        if (dueAt == _timerDueAt)
        {
            return;
        }

        _timer?.Dispose();
        _timer = null;
        _timerDueAt = dueAt;
        if (dueAt is { } due)
        {
            var delay = due > now ? due - now : TimeSpan.Zero;
            _timer = time.CreateTimer(_ => _ = SendTickAsync(due), null, delay, Timeout.InfiniteTimeSpan);
        }
    }

    private async Task SendTickAsync(DateTimeOffset dueAt)
    {
        try
        {
            var endpoint = await bus.GetSendEndpoint(RoutingSettings.Address);
            await endpoint.Send(new RoutingTick { DueAt = dueAt });
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            LogTickFailed(logger, exception.GetType().Name);
            _timer?.Change(TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        }
    }

    public void Dispose() => _timer?.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Router state loaded at version {Version}")]
    private static partial void LogLoaded(ILogger logger, long version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Router state at version {Version} is stale: another instance routed; reloading")]
    private static partial void LogStale(ILogger logger, long version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Router tick could not be sent ({ExceptionType}); retrying in a second")]
    private static partial void LogTickFailed(ILogger logger, string exceptionType);
}

/// <summary>Another instance committed a transition since this one loaded its state.</summary>
public sealed class StaleRouterException(Exception inner) : Exception("The router's state is stale.", inner);
