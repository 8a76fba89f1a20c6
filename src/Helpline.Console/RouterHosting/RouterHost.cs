using System.Diagnostics;
using System.Threading.Channels;
using Helpline.Console.Data;
using Helpline.Console.Safety;
using Helpline.Contracts;
using Helpline.Routing;
using Helpline.ServiceDefaults;
using Helpline.ServiceDefaults.Faults;
using Helpline.ServiceDefaults.Outbox;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helpline.Console.RouterHosting;

/// <summary>
/// Hosts the pure routing core on the instance whose consumer is active on the routing queue.
/// Routing inputs are submitted as work; one loop takes whatever work is waiting (up to
/// <see cref="RoutingSettings.MaxBatch"/> items), prepares and applies each in submission order, and
/// commits them as one transition in one transaction: the events they caused, the contacts'
/// status, the outbox messages and a journal entry with the inputs under the next version. Only
/// then is each submitter told its decisions (and the messages acknowledged), so a crash loses
/// nothing; one commit for many inputs is what lets the router keep up with a busy queue. Every
/// <see cref="RoutingSettings.CheckpointEvery"/> transitions the whole state is checkpointed and the
/// journal before it pruned. A version already taken (or a later one) means another instance routed
/// meanwhile: this instance drops its state, fails the work (its messages are retried), and reloads.
/// </summary>
internal sealed partial class RouterHost(
    IServiceScopeFactory scopes,
    TimeProvider time,
    IOptions<RoutingSettings> settings,
    IBus bus,
    OutboxSignal outbox,
    RoutingMetrics metrics,
    CallerFlagReader flags,
    IHostApplicationLifetime lifetime,
    ILogger<RouterHost> logger) : BackgroundService
{
    private static readonly ActivitySource Source = new(HelplineTelemetry.ActivitySourcePrefix + "Routing");
    private readonly RoutingOptions _options = settings.Value.ToOptions();
    private readonly RoutingSettings _settings = settings.Value;
    private readonly Channel<RoutingWork> _work = Channel.CreateUnbounded<RoutingWork>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<RoutingDecision> _pending = [];
    private readonly List<JournaledInput> _pendingInputs = [];
    private readonly Dictionary<Guid, int> _announcedPositions = [];
    private LoadedState? _loaded;
    private DateTimeOffset _positionsAnnouncedAt = DateTimeOffset.MinValue;
    private bool _positionsStale;
    private ITimer? _timer;
    private DateTimeOffset? _timerDueAt;

    /// <summary>
    /// Whether this instance is routing: its router loaded the state for work from the routing queue
    /// and has not found it stale since. Another instance may take over at any moment; a commit then
    /// finds the state stale and fails the work, so this is a hint, never a guarantee.
    /// </summary>
    public bool IsRouting => Volatile.Read(ref _loaded) is not null;

    /// <summary>
    /// Queues <paramref name="prepare"/>, which runs on the router's loop with the transition's
    /// database context (stage rows there) and the state (read only), and returns the events to apply.
    /// Completes with those events' decisions (rejections included) once the transition is committed.
    /// With <paramref name="onlyIfRouting"/>, work that reaches a router holding no state (it found
    /// it stale meanwhile) fails with <see cref="NotRoutingException"/> rather than load it: only
    /// work from the routing queue makes an instance route.
    /// </summary>
    public Task<IReadOnlyList<RoutingDecision>> SubmitAsync(Func<RoutingBatch, CancellationToken, Task<IReadOnlyList<RoutingEvent>>> prepare, bool onlyIfRouting = false)
    {
        var work = new RoutingWork(prepare, onlyIfRouting);
        if (!_work.Writer.TryWrite(work))
        {
            throw new NotRoutingException("The router is stopping.");
        }

        return work.Completion.Task;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<RoutingWork>(_settings.MaxBatch);
        try
        {
            while (await _work.Reader.WaitToReadAsync(stoppingToken))
            {
                batch.Clear();
                while (batch.Count < _settings.MaxBatch && _work.Reader.TryRead(out var work))
                {
                    batch.Add(work);
                }

                // A transition under way is finished even when the service is stopping: its inputs
                // are acknowledged only after it commits, and they are already on their way.
                await ProcessAsync(batch, CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            _work.Writer.TryComplete();
            while (_work.Reader.TryRead(out var work))
            {
                work.Completion.TrySetCanceled(stoppingToken);
            }
        }
    }

    private async Task ProcessAsync(List<RoutingWork> batch, CancellationToken cancellationToken)
    {
        if (_loaded is null && batch.Exists(w => w.OnlyIfRouting))
        {
            foreach (var work in batch.Where(w => w.OnlyIfRouting))
            {
                work.Completion.TrySetException(new NotRoutingException("This instance is not routing."));
            }

            batch.RemoveAll(w => w.OnlyIfRouting);
            if (batch.Count == 0)
            {
                return;
            }
        }

        // The transition continues the first input's trace (at a helpline's pace, the only one), and
        // links the others', so the outbox rows it writes carry a trace back to a request.
        using var activity = Source.StartActivity(
            "routing transition",
            ActivityKind.Internal,
            batch[0].Trace,
            links: batch.Skip(1).Where(w => w.Trace != default).Select(w => new ActivityLink(w.Trace)));
        activity?.SetTag("helpline.routing.inputs", batch.Count);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConsoleDbContext>();
        var results = new List<List<RoutingDecision>>(batch.Count);
        var events = new List<RoutingEvent>();
        try
        {
            var state = await EnsureLoadedAsync(db, cancellationToken);
            var now = time.GetUtcNow();
            var decisions = new List<RoutingDecision>(_pending);
            var inputs = new List<JournaledInput>(_pendingInputs);
            var context = new RoutingBatch(db, state);
            foreach (var work in batch)
            {
                var own = new List<RoutingDecision>();
                foreach (var routingEvent in await work.Prepare(context, cancellationToken))
                {
                    own.AddRange(Router.Apply(state, routingEvent, now));
                    inputs.Add(new JournaledInput(now, routingEvent));
                    events.Add(routingEvent);
                }

                decisions.AddRange(own);
                results.Add(own);
            }

            _positionsStale |= decisions.Any(d => d is ContactQueued or ContactRequeued or ContactAssigned or ContactEnded or OfferMade);
            var announce = _positionsStale && now - _positionsAnnouncedAt >= _settings.QueuePositionInterval;
            if (announce || Changed(events, decisions) || db.ChangeTracker.HasChanges())
            {
                await CommitAsync(db, state, decisions, inputs, announce, now, cancellationToken);
            }

            _pending.Clear();
            _pendingInputs.Clear();
            metrics.Transition(events.Count, decisions, state.Summarize());
            Schedule(NextDueAt(state), now);
        }
        catch (Exception exception)
        {
            Forget();
            if (exception is not StaleRouterException)
            {
                LogBatchFailed(logger, exception, batch.Count);
            }

            foreach (var work in batch)
            {
                work.Completion.TrySetException(exception);
            }

            return;
        }

        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Completion.TrySetResult(results[i]);
        }
    }

    /// <summary>
    /// Whether the transition changed the state: anything decided, or an event other than a tick
    /// that was not rejected (a rejected event changes nothing; a tick that fired nothing neither).
    /// </summary>
    private static bool Changed(IReadOnlyList<RoutingEvent> events, List<RoutingDecision> decisions) =>
        decisions.Any(d => d is not Rejected)
        || events.Any(e => e is not Tick && !decisions.Any(d => d is Rejected r && ReferenceEquals(r.Event, e)));

    private async Task CommitAsync(
        ConsoleDbContext db, RouterState state, List<RoutingDecision> decisions, List<JournaledInput> inputs, bool announce, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var loaded = _loaded!;
        var version = loaded.Version + 1;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await new DecisionRecorder(db, flags, now).RecordAsync(decisions, cancellationToken);
        if (announce)
        {
            AnnounceQueuePositions(db, state, now);
        }

        db.RouterJournal.Add(new RouterJournalEntry { Version = version, Events = RouterJournal.Serialize(inputs), At = now });
        var checkpointed = version - loaded.CheckpointVersion >= _settings.CheckpointEvery;
        if (checkpointed)
        {
            StageCheckpoint(db, state, loaded.CheckpointVersion, version, now);
        }

        try
        {
            // A later entry than ours means another instance routed (the key catches one that commits
            // the same version at the same moment). The checkpoint's own entry is kept for this check.
            if (await db.RouterJournal.AnyAsync(e => e.Version > loaded.Version, cancellationToken))
            {
                throw new DbUpdateConcurrencyException("The router journal has moved on.");
            }

            await db.SaveChangesAsync(cancellationToken);
            if (checkpointed)
            {
                await db.RouterJournal.Where(e => e.Version < version).ExecuteDeleteAsync(cancellationToken);
            }
        }
        catch (DbUpdateException exception) when (exception is DbUpdateConcurrencyException || exception.IsUniqueViolation())
        {
            LogStale(logger, loaded.Version);
            throw new StaleRouterException(exception);
        }

        await transaction.CommitAsync(cancellationToken);
        _loaded = loaded with { Version = version, CheckpointVersion = checkpointed ? version : loaded.CheckpointVersion, AsOf = now };
        if (announce)
        {
            _positionsAnnouncedAt = now;
            _positionsStale = false;
        }

        outbox.Notify();
    }

    /// <summary>The whole state under <paramref name="version"/>, replacing the checkpoint at <paramref name="previous"/> (0: none yet).</summary>
    private static void StageCheckpoint(ConsoleDbContext db, RouterState state, long previous, long version, DateTimeOffset now)
    {
        var checkpoint = new RouterCheckpoint { Snapshot = RouterJournal.Serialize(state), UpdatedAt = now, Version = version };
        if (previous == 0)
        {
            db.RouterCheckpoints.Add(checkpoint);
            return;
        }

        db.RouterCheckpoints.Attach(checkpoint);
        var entry = db.Entry(checkpoint);
        entry.Property(c => c.Version).OriginalValue = previous;
        entry.Property(c => c.Version).IsModified = true;
        entry.Property(c => c.Snapshot).IsModified = true;
        entry.Property(c => c.UpdatedAt).IsModified = true;
    }

    /// <summary>
    /// Tells Intake the place of each queued call whose place changed since the last announcement,
    /// for hold messages. At most once per <see cref="RoutingSettings.QueuePositionInterval"/>: with
    /// a long queue every offer moves every caller, and hold messages need no faster news.
    /// </summary>
    private void AnnounceQueuePositions(ConsoleDbContext db, RouterState state, DateTimeOffset now)
    {
        var queue = state.QueueSnapshot(ContactChannel.Call, now);
        foreach (var gone in _announcedPositions.Keys.Except(queue.Select(e => e.ContactId)).ToList())
        {
            _announcedPositions.Remove(gone);
        }

        var changed = new List<CallQueuePosition>();
        foreach (var entry in queue)
        {
            if (_announcedPositions.TryGetValue(entry.ContactId, out var known) && known == entry.Position)
            {
                continue;
            }

            _announcedPositions[entry.ContactId] = entry.Position;
            changed.Add(new CallQueuePosition { ContactId = entry.ContactId, Position = entry.Position, EstimatedWait = entry.EstimatedWait });
        }

        if (changed.Count > 0)
        {
            db.OutboxMessages.Add(OutboxMessage.Publish(new CallQueuePositions { Calls = changed, At = now }, now));
        }
    }

    /// <summary>The router's next timer, or the next announcement of queue positions when one is owed sooner.</summary>
    private DateTimeOffset? NextDueAt(RouterState state)
    {
        if (!_positionsStale)
        {
            return state.NextDueAt;
        }

        var announceAt = _positionsAnnouncedAt + _settings.QueuePositionInterval;
        return state.NextDueAt is { } due && due < announceAt ? due : announceAt;
    }

    private async Task<RouterState> EnsureLoadedAsync(ConsoleDbContext db, CancellationToken cancellationToken)
    {
        if (_loaded is not null)
        {
            return _loaded.State;
        }

        var loaded = await RouterJournal.LoadAsync(db, _options, cancellationToken);
        var now = time.GetUtcNow();
        _pending.Clear();
        _pending.AddRange(Router.Apply(loaded.State, Tick.Instance, now));
        _pendingInputs.Clear();
        _pendingInputs.Add(new JournaledInput(now, Tick.Instance));
        _announcedPositions.Clear();
        _positionsStale = true;
        _loaded = loaded;
        LogLoaded(logger, loaded.Version, loaded.Version - loaded.CheckpointVersion);
        return loaded.State;
    }

    private void Forget()
    {
        _loaded = null;
        metrics.Forget();
        _pending.Clear();
        _pendingInputs.Clear();
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

    /// <summary>
    /// Sends the tick on its own (nothing awaits it), so it must not outlive the service: a send still
    /// waiting for the broker when the host stops would hold the bus's stop until the host gives up.
    /// </summary>
    private async Task SendTickAsync(DateTimeOffset dueAt)
    {
        var stopping = lifetime.ApplicationStopping;
        try
        {
            var endpoint = await bus.GetSendEndpoint(RoutingSettings.Address);
            await endpoint.Send(new RoutingTick { DueAt = dueAt }, stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutting down: the instance that routes next schedules its own ticks.
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            LogTickFailed(logger, exception.GetType().Name);
            _timer?.Change(TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        }
    }

    public override void Dispose()
    {
        _timer?.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Router state loaded at version {Version} ({Replayed} journaled transitions replayed)")]
    private static partial void LogLoaded(ILogger logger, long version, long replayed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Router state at version {Version} is stale: another instance routed; reloading")]
    private static partial void LogStale(ILogger logger, long version);

    [LoggerMessage(Level = LogLevel.Error, Message = "A routing transition of {Count} inputs failed; they will be retried")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Router tick could not be sent ({ExceptionType}); retrying in a second")]
    private static partial void LogTickFailed(ILogger logger, string exceptionType);
}

/// <summary>What a submitter's preparation sees: the transition's database context and the router's state (read it, never change it).</summary>
internal sealed record RoutingBatch(ConsoleDbContext Db, RouterState State);

internal sealed class RoutingWork(Func<RoutingBatch, CancellationToken, Task<IReadOnlyList<RoutingEvent>>> prepare, bool onlyIfRouting)
{
    public Func<RoutingBatch, CancellationToken, Task<IReadOnlyList<RoutingEvent>>> Prepare { get; } = prepare;

    public bool OnlyIfRouting { get; } = onlyIfRouting;

    public TaskCompletionSource<IReadOnlyList<RoutingDecision>> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The submitter's trace (the consumed message's), which the transition continues.</summary>
    public ActivityContext Trace { get; } = Activity.Current?.Context ?? default;
}

/// <summary>
/// This instance takes no routing work: it is stopping, or it is not routing and the work was only for a
/// router that is. Transient: a redelivered message reaches the instance that routes.
/// </summary>
internal sealed class NotRoutingException(string message) : TransientException(message);

/// <summary>Another instance committed a transition since this one loaded its state. Transient: the next attempt loads the state afresh.</summary>
internal sealed class StaleRouterException(Exception inner) : TransientException("The router's state is stale.", inner);
