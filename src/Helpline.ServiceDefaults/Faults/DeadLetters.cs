using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Helpline.ServiceDefaults.Faults;

/// <summary>
/// Somewhere a service puts what it gave up on: its receive endpoints' <c>_error</c> queues, its outbox's
/// dead-letter table. Each can count what it holds (per place, with the reason where it keeps one) and
/// put it all back to be tried again once the cause is fixed.
/// </summary>
public interface IDeadLetterStore
{
    /// <summary>What is held, per place (a queue, a table) and reason; places holding nothing may be left out.</summary>
    Task<IReadOnlyList<DeadLetterCount>> CountAsync(CancellationToken cancellationToken);

    /// <summary>Puts every held message back where it came from; returns how many.</summary>
    Task<int> ReplayAsync(CancellationToken cancellationToken);
}

/// <param name="Place">The queue or table holding them.</param>
/// <param name="Reason">Why they failed (an exception type, a message type that no longer resolves), or null when the store keeps none.</param>
public sealed record DeadLetterCount(string Place, string? Reason, long Count);

public sealed class DeadLetterOptions
{
    public const string Section = "DeadLetters";

    /// <summary>How often the stores are counted, for the health check and the gauge.</summary>
    [Range(typeof(TimeSpan), "00:00:00.200", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// Counts every <see cref="IDeadLetterStore"/> of the service now and then: the figures behind the
/// <c>helpline.dead_letters</c> gauge and the <c>dead-letters</c> health check, which is Degraded while
/// anything is held (a dead letter is a contact or a command that needs a person to look at it).
/// </summary>
internal sealed partial class DeadLetterMonitor : BackgroundService, IHealthCheck
{
    /// <summary>How long a report of the counts may take to publish before this round gives up on it.</summary>
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(10);

    private readonly IEnumerable<IDeadLetterStore> _stores;
    private readonly DeadLetterOptions _options;
    private readonly IServiceProvider _services;
    private readonly IHostEnvironment _environment;
    private readonly TimeProvider _time;
    private readonly ILogger<DeadLetterMonitor> _logger;
    private readonly ConcurrentDictionary<string, long> _held = new(StringComparer.Ordinal);
    private volatile bool _counted;

    public DeadLetterMonitor(
        IEnumerable<IDeadLetterStore> stores,
        IOptions<DeadLetterOptions> options,
        IMeterFactory meterFactory,
        IServiceProvider services,
        IHostEnvironment environment,
        TimeProvider time,
        ILogger<DeadLetterMonitor> logger)
    {
        _stores = stores;
        _options = options.Value;
        _services = services;
        _environment = environment;
        _time = time;
        _logger = logger;
        meterFactory.Create(HelplineTelemetry.MeterPrefix + "DeadLetters").CreateObservableGauge(
            "helpline.dead_letters",
            () => _held.Select(h => new Measurement<long>(h.Value, new KeyValuePair<string, object?>("place", h.Key))),
            "{message}",
            "Messages given up on and held for a person to replay, per queue or table.");
    }

    /// <summary>Counts now (also what the health check and the gauge show from then on).</summary>
    public async Task<IReadOnlyList<DeadLetterCount>> CountAsync(CancellationToken cancellationToken)
    {
        var counts = new List<DeadLetterCount>();
        foreach (var store in _stores)
        {
            counts.AddRange(await store.CountAsync(cancellationToken).ConfigureAwait(false));
        }

        foreach (var place in _held.Keys.Except(counts.Select(c => c.Place)))
        {
            _held[place] = 0;
        }

        foreach (var place in counts.GroupBy(c => c.Place))
        {
            _held[place.Key] = place.Sum(c => c.Count);
        }

        _counted = true;
        return counts;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.PollInterval);
        do
        {
            try
            {
                await ReportAsync(await CountAsync(stoppingToken).ConfigureAwait(false), stoppingToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogCountFailed(_logger, exception.GetType().Name);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>Tells Console's list what this service holds now (a report lost to a broker outage is sent again at the next poll).</summary>
    private async Task ReportAsync(IReadOnlyList<DeadLetterCount> counts, CancellationToken stoppingToken)
    {
        if (_services.GetService(typeof(MassTransit.IBus)) is not MassTransit.IBus bus)
        {
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(PublishTimeout);
        await bus.Publish(
            new DeadLettersCounted { Service = _environment.ApplicationName, At = _time.GetUtcNow(), Held = [.. counts.Where(c => c.Count > 0)] },
            timeout.Token).ConfigureAwait(false);
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var held = _held.Where(h => h.Value > 0).ToDictionary(h => h.Key, h => (object)h.Value);
        return Task.FromResult(held.Count > 0
            ? HealthCheckResult.Degraded($"{held.Values.Sum(v => (long)v)} dead-lettered message(s) wait to be looked at and replayed.", data: held)
            : HealthCheckResult.Healthy(_counted ? "Nothing dead-lettered." : "Not counted yet."));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dead letters could not be counted or reported ({ExceptionType}); trying again at the next poll")]
    private static partial void LogCountFailed(ILogger logger, string exceptionType);
}

/// <summary>
/// The operator's commands, run as the service's own program with the service's configuration:
/// <c>dead-letters</c> lists what is held (place, reason, count); <c>dead-letters replay</c> puts it all
/// back, to be run once the cause is fixed (a deploy that knows the type again, a corrected row).
/// </summary>
public static class DeadLetterCommands
{
    public static async Task RunAsync(IServiceProvider services, IReadOnlyList<string> args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        // Configuring the bus (not starting it) is what names the receive endpoints whose error queues are looked at.
        _ = services.GetService(typeof(MassTransit.IBusControl));
        var stores = (IEnumerable<IDeadLetterStore>)services.GetService(typeof(IEnumerable<IDeadLetterStore>))!;
        switch (args)
        {
            case []:
                foreach (var store in stores)
                {
                    foreach (var count in (await store.CountAsync(CancellationToken.None).ConfigureAwait(false)).Where(c => c.Count > 0))
                    {
                        await output.WriteLineAsync($"{count.Place}\t{count.Reason ?? "-"}\t{count.Count}").ConfigureAwait(false);
                    }
                }

                break;
            case ["replay"]:
                var moved = 0;
                foreach (var store in stores)
                {
                    moved += await store.ReplayAsync(CancellationToken.None).ConfigureAwait(false);
                }

                await output.WriteLineAsync($"{moved} message(s) replayed").ConfigureAwait(false);
                break;
            default:
                throw new ArgumentException("Usage: dead-letters [replay]", nameof(args));
        }
    }
}
