using Helpline.Contracts;
using Helpline.Intake.Calls;
using Helpline.Intake.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helpline.Intake.Telephony.External;

/// <summary>
/// With the external bridge, a call waits in <see cref="CallState.Connecting"/> for the bridge to report the
/// answer. One that waited longer than <see cref="ExternalBridgeOptions.AnswerTimeout"/> goes back to the
/// queue with its place, and Console is told (<see cref="CallConnectFailed"/>), as when the bridge reports
/// the advisor's phone did not answer.
/// </summary>
internal sealed partial class ConnectTimeoutService(
    IServiceScopeFactory scopes,
    IOptions<ExternalBridgeOptions> options,
    TimeProvider time,
    ILogger<ConnectTimeoutService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var timeout = options.Value.AnswerTimeout;
        var period = TimeSpan.FromTicks(Math.Clamp(timeout.Ticks / 4, TimeSpan.FromMilliseconds(250).Ticks, TimeSpan.FromSeconds(5).Ticks));
        using var timer = new PeriodicTimer(period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await ExpireAsync(timeout, stoppingToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // A failed sweep (database down) must not stop the host: the next tick tries again.
                    LogSweepFailed(logger, exception.GetType().Name);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task ExpireAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IntakeDbContext>();
        var now = time.GetUtcNow();
        var cutoff = now - timeout;
        var expired = await db.InboundCalls.AsNoTracking()
            .Where(c => c.State == CallState.Connecting && c.UpdatedAt < cutoff)
            .OrderBy(c => c.UpdatedAt)
            .Select(c => c.Id)
            .Take(100)
            .ToListAsync(cancellationToken);
        var detail = $"The phone system did not report an answer within {timeout.TotalSeconds:0} seconds.";
        var calls = scope.ServiceProvider.GetRequiredService<CallStore>();
        foreach (var contactId in expired)
        {
            if (await calls.ApplyAsync(contactId, new CallEvent.AnswerTimedOut(cutoff, detail), now, cancellationToken) is { Verdict: CallVerdict.Applied })
            {
                LogExpired(logger, contactId);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Contact {ContactId} back in the queue: the bridge reported no answer in time")]
    private static partial void LogExpired(ILogger logger, Guid contactId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Looking for unanswered connects failed ({ExceptionType}); trying again at the next tick")]
    private static partial void LogSweepFailed(ILogger logger, string exceptionType);
}
