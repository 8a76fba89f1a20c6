using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Helpline.Console.Audit;

/// <summary>Section <c>Audit</c>: how often new audit entries are sealed into the chain.</summary>
internal sealed class AuditOptions
{
    public const string Section = "Audit";

    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan SealInterval { get; set; } = TimeSpan.FromSeconds(2);

    [Range(1, 10_000)]
    public int SealBatch { get; set; } = 500;
}

/// <summary>Seals new audit entries every <see cref="AuditOptions.SealInterval"/> (on whichever instance gets the lock).</summary>
internal sealed partial class AuditSealer(IServiceScopeFactory scopes, IOptions<AuditOptions> options, TimeProvider time, ILogger<AuditSealer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<AuditChain>().SealAsync(options.Value.SealBatch, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // The database is away: the entries wait, unsealed, for the next round.
                LogSealFailed(logger, exception.GetType().Name);
            }

            await Task.Delay(options.Value.SealInterval, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sealing audit entries failed ({Error}); trying again shortly")]
    private static partial void LogSealFailed(ILogger logger, string error);
}
