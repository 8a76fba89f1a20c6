using System.Collections.Concurrent;
using System.Diagnostics;

namespace Helpline.LoadGenerator.Latency;

/// <summary>
/// An advisor who accepts every offer at once, keeps the call for a random talk time, completes it
/// and ends wrap-up at once, and so is Available again. Offers are logged with the time they arrived.
/// The advisor counts as busy from an offer until that contact is done with (wrap-up ended, or the
/// offer or assignment taken back), which tells a queue that waits for free advisors from one that
/// waits for the router.
/// </summary>
internal sealed class BenchmarkAdvisor(
    AdvisorConnection connection,
    CallLog calls,
    SecondsRange talk,
    ConcurrentBag<TimeSpan> acceptRoundTrips,
    Counters counters)
{
    private volatile bool _busy;

    public bool IsBusy => _busy;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await foreach (var message in connection.Inbox.ReadAllAsync(cancellationToken))
        {
            switch (message.Payload)
            {
                case ContactOffered offer:
                    calls.Offered(offer.ContactId, message.ReceivedAt);
                    _busy = true;
                    await AcceptAsync(offer, cancellationToken);
                    break;
                case ContactAssigned assigned:
                    await TalkAsync(assigned, cancellationToken);
                    break;
                case StatusChanged { Status: AdvisorStatus.Break, Deferred: false } changed:
                    counters.Add($"advisor put on break ({changed.Reason})");
                    await connection.SetStatusAsync(AdvisorStatus.Available, null, cancellationToken);
                    break;
                case OfferWithdrawn withdrawn:
                    counters.Add($"offer withdrawn ({withdrawn.Reason})");
                    _busy = false;
                    break;
                case AssignmentUndone undone:
                    counters.Add($"assignment undone ({undone.Reason})");
                    _busy = false;
                    break;
            }
        }
    }

    private async Task AcceptAsync(ContactOffered offer, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        if (await connection.AcceptAsync(offer.OfferId, cancellationToken))
        {
            acceptRoundTrips.Add(Stopwatch.GetElapsedTime(started));
        }
        else
        {
            _busy = false;
        }
    }

    private async Task TalkAsync(ContactAssigned assigned, CancellationToken cancellationToken)
    {
        await Task.Delay(talk.Draw(), cancellationToken);
        if (await connection.CompleteAsync(assigned.ContactId, cancellationToken))
        {
            calls.Completed(assigned.ContactId);
            await connection.EndWrapUpAsync(cancellationToken);
        }

        _busy = false;
    }
}
