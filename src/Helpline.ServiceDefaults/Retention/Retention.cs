using System.ComponentModel.DataAnnotations;
using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Helpline.ServiceDefaults.Retention;

/// <summary>What every service's retention options share: how often the job runs and how many rows it changes per transaction.</summary>
public abstract class RetentionScheduleOptions
{
    /// <summary>How often the job runs (the first run one interval after start).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Rows changed per transaction, so no run holds long locks.</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 1_000;
}

/// <summary>
/// One kind of data a retention job erases: <see cref="Sql"/> changes at most <c>@batch</c> rows older
/// than <c>@cutoff</c> (now less <see cref="Age"/>), and picks only rows that still hold something to
/// erase, so running it again changes nothing.
/// </summary>
public sealed record RetentionStep<TOptions>(string Kind, Func<TOptions, TimeSpan> Age, string Sql)
    where TOptions : RetentionScheduleOptions;

/// <summary>A service's retention job: runs its steps to the end and returns the rows changed per kind (counts only).</summary>
public interface IRetentionJob
{
    Task<IReadOnlyDictionary<string, long>> RunAsync(CancellationToken cancellationToken);
}

public static class RetentionSteps
{
    /// <summary>Deletes a schema's outbox rows sent longer ago than <paramref name="age"/> (their payload may name a contact).</summary>
    public static RetentionStep<TOptions> SentOutbox<TOptions>(string schema, Func<TOptions, TimeSpan> age)
        where TOptions : RetentionScheduleOptions => new("outbox", age, $"""
        DELETE FROM {schema}.outbox_messages WHERE id IN (SELECT id FROM {schema}.outbox_messages WHERE sent_at < @cutoff LIMIT @batch)
        """);

    /// <summary>Runs each step in batches of <see cref="RetentionScheduleOptions.BatchSize"/> (each its own transaction) until a batch comes back short.</summary>
    public static async Task<IReadOnlyDictionary<string, long>> RunAsync<TOptions>(
        DbContext db, IEnumerable<RetentionStep<TOptions>> steps, TOptions options, DateTimeOffset now, CancellationToken cancellationToken)
        where TOptions : RetentionScheduleOptions
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(options);
        var changed = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var step in steps)
        {
            long total = 0;
            int rows;
            do
            {
                rows = await db.Database.ExecuteSqlRawAsync(
                    step.Sql,
                    [new NpgsqlParameter("cutoff", now - step.Age(options)), new NpgsqlParameter("batch", options.BatchSize)],
                    cancellationToken);
                total += rows;
            }
            while (rows >= options.BatchSize);

            changed[step.Kind] = total;
        }

        return changed;
    }

    /// <summary>The section every service's retention options are read from.</summary>
    public const string Section = "Retention";

    /// <summary>
    /// A service's retention job: its options (section <c>Retention</c>, validated at start), <typeparamref name="TJob"/>
    /// (scoped) and the service that runs it every <see cref="RetentionScheduleOptions.Interval"/>, counting rows per
    /// kind on <paramref name="counterName"/> of meter <paramref name="meterName"/>.
    /// </summary>
    public static IHostApplicationBuilder AddRetention<TJob, TOptions>(this IHostApplicationBuilder builder, string meterName, string counterName)
        where TJob : class, IRetentionJob
        where TOptions : RetentionScheduleOptions
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddValidatedOptions<TOptions>(Section);
        services.AddScoped<TJob>();
        services.AddHostedService(provider => new RetentionService(
            provider.GetRequiredService<IServiceScopeFactory>(),
            scope => scope.GetRequiredService<TJob>(),
            () => provider.GetRequiredService<IOptions<TOptions>>().Value.Interval,
            provider.GetRequiredService<IMeterFactory>().Create(meterName).CreateCounter<long>(
                counterName, "{row}", "Rows whose personal data the retention job erased or deleted, by kind."),
            provider.GetRequiredService<ILogger<RetentionService>>()));
        return builder;
    }
}

/// <summary>Runs a service's <see cref="IRetentionJob"/> every interval; logs and counts rows per kind, never their content.</summary>
internal sealed partial class RetentionService(
    IServiceScopeFactory scopes,
    Func<IServiceProvider, IRetentionJob> job,
    Func<TimeSpan> interval,
    Counter<long> rows,
    ILogger<RetentionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval());
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var changed = await job(scope.ServiceProvider).RunAsync(stoppingToken);
                foreach (var (kind, count) in changed)
                {
                    rows.Add(count, new KeyValuePair<string, object?>("kind", kind));
                    if (count > 0)
                    {
                        LogErased(logger, kind, count);
                    }
                }
            }
            catch (Exception e) when (e is NpgsqlException or DbUpdateException or InvalidOperationException && !stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: {Rows} {Kind} rows erased or deleted")]
    private static partial void LogErased(ILogger logger, string kind, long rows);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention run failed; it runs again at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
