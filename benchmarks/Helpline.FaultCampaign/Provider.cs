using Helpline.LoadGenerator;

namespace Helpline.FaultCampaign;

/// <summary>
/// The telephony provider: places calls at a steady rate through Intake's call API and retries every
/// request that does not get a 2xx (a refusal, a timeout, no connection) with the same provider call id,
/// as a provider retries a webhook. A caller waits for an advisor up to their patience, then hangs up; an
/// answered call talks briefly and is ended by the caller.
/// </summary>
internal sealed class Provider(IntakeClient intake, CallLedger ledger, Counters counters, string run, TimeSpan patience)
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250);
    /// <summary>
    /// The longest wait between two attempts. After a long outage hundreds of calls are retrying at once; 5 s
    /// apart (and spread by a random part, below) they come back as a provider's retries do, not as a burst
    /// that keeps a restarted Intake's connection pool exhausted.
    /// </summary>
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(5);
    private static readonly string[] Unfinished = ["Queued", "Connecting", "Answered"];

    private int _serverErrors;

    /// <summary>Requests Intake answered with a 5xx (503 is what an outage should look like), counted apart from other failures.</summary>
    public int ServerErrors => Volatile.Read(ref _serverErrors);

    /// <summary>Places a call every 1/<paramref name="rate"/> s until <paramref name="stopPlacing"/>; each call's requests give up only at <paramref name="giveUp"/>.</summary>
    public async Task<IReadOnlyList<Task>> PlaceAsync(double rate, CancellationToken stopPlacing, CancellationToken giveUp)
    {
        var pacer = new Pacer();
        var calls = new List<Task>();
        try
        {
            for (var index = 0; !stopPlacing.IsCancellationRequested; index++)
            {
                await pacer.WaitUntilAsync(Pacer.AtRate(index, rate), stopPlacing);
                calls.Add(CallAsync($"campaign-{run}-{index}", giveUp));
            }
        }
        catch (OperationCanceledException) when (stopPlacing.IsCancellationRequested)
        {
            // Placing stops here; the calls already placed go on to their end.
        }

        return calls;
    }

    private async Task CallAsync(string providerCallId, CancellationToken giveUp)
    {
        var call = ledger.Place(providerCallId);
        try
        {
            var contactId = await RetryAsync("POST /api/calls", token => intake.AnnounceAsync(providerCallId, Callers.Number(0.3), token), giveUp);
            ledger.Accepted(call, contactId);
            var answered = await call.Assigned.Task.WaitAsync(patience, giveUp).ContinueWith(task => task.IsCompletedSuccessfully, TaskScheduler.Default);
            if (answered)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(300, 1500)), giveUp);
                await RetryAsync("POST /ended", token => intake.EndAsync(providerCallId, "Caller", token), giveUp);
                return;
            }

            var hungUp = await RetryAsync("POST /hangup", token => intake.HangUpAsync(providerCallId, token), giveUp);
            if (Unfinished.Contains(hungUp.State))
            {
                // Answered as the caller hung up: the line closes, and the provider says the call ended.
                await RetryAsync("POST /ended", token => intake.EndAsync(providerCallId, "Caller", token), giveUp);
            }
        }
        catch (OperationCanceledException) when (giveUp.IsCancellationRequested)
        {
            counters.Add("calls whose requests were given up");
        }
    }

    private async Task<T> RetryAsync<T>(string what, Func<CancellationToken, Task<T>> send, CancellationToken giveUp)
    {
        var delay = FirstRetry;
        while (true)
        {
            try
            {
                return await send(giveUp);
            }
            catch (Exception exception) when (IntakeClient.IsFailure(exception) && !giveUp.IsCancellationRequested)
            {
                if (exception is HttpRequestException { StatusCode: { } status } && (int)status >= 500)
                {
                    Interlocked.Increment(ref _serverErrors);
                }

                counters.Add($"{what} retried after {IntakeClient.Describe(exception)}");
            }

            await Task.Delay(delay + TimeSpan.FromMilliseconds(Random.Shared.Next(0, (int)(delay.TotalMilliseconds / 2))), giveUp);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LastRetry.Ticks));
        }
    }
}
