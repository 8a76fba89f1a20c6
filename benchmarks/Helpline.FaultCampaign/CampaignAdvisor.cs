using Helpline.LoadGenerator;

namespace Helpline.FaultCampaign;

/// <summary>
/// An advisor who accepts every offer at once and ends wrap-up at once (the provider ends the call). When
/// their Console dies they sign in again and reconnect, to the next instance that answers, and go Available.
/// Every offer they receive is logged as a span (arrival to taken, withdrawn, expired or connection lost).
/// </summary>
internal sealed class CampaignAdvisor(string userName, string password, IReadOnlyList<ConsoleAccounts> consoles, int home, CallLedger ledger, Counters counters)
{
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(1);

    private readonly Dictionary<long, (Guid ContactId, DateTimeOffset From, DateTimeOffset ExpiresAt)> _open = [];

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ServeUntilCancelledAsync(home, cancellationToken);
        }
        finally
        {
            CloseAll(DateTimeOffset.UtcNow);
        }
    }

    private async Task ServeUntilCancelledAsync(int attempt, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var connection = await ConnectAsync(attempt++, cancellationToken);
            if (connection is null)
            {
                await Task.Delay(Retry, cancellationToken);
                continue;
            }

            await using (connection)
            {
                if (await connection.SetStatusAsync(AdvisorStatus.Available, null, cancellationToken))
                {
                    attempt = home;
                    await ServeAsync(connection, cancellationToken);
                }
            }

            CloseAll(DateTimeOffset.UtcNow);
        }
    }

    private async Task<AdvisorConnection?> ConnectAsync(int attempt, CancellationToken cancellationToken)
    {
        var accounts = consoles[attempt % consoles.Count];
        try
        {
            var token = await accounts.AccessTokenAsync(userName, password, cancellationToken);
            return await AdvisorConnection.ConnectAsync(accounts.Address, token, counters, cancellationToken);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException && !cancellationToken.IsCancellationRequested)
        {
            counters.Add("advisor (re)connect attempts refused");
            return null;
        }
    }

    private async Task ServeAsync(AdvisorConnection connection, CancellationToken cancellationToken)
    {
        await foreach (var message in connection.Inbox.ReadAllAsync(cancellationToken))
        {
            var now = DateTimeOffset.UtcNow;
            switch (message.Payload)
            {
                case ContactOffered offer:
                    _open[offer.OfferId] = (offer.ContactId, now, offer.ExpiresAt);
                    ledger.Offered(offer.ContactId);
                    await connection.AcceptAsync(offer.OfferId, cancellationToken);
                    break;
                case ContactAssigned assigned:
                    Close(assigned.OfferId, now);
                    ledger.AssignedTo(assigned.ContactId, userName);
                    break;
                case OfferWithdrawn withdrawn:
                    Close(withdrawn.OfferId, now);
                    break;
                case AssignmentUndone undone:
                    counters.Add($"assignments undone ({undone.Reason})");
                    ledger.Unassigned(undone.ContactId, userName);
                    break;
                case WrapUpScheduled:
                    await connection.EndWrapUpAsync(cancellationToken);
                    break;
                case StatusChanged { Status: AdvisorStatus.Break, Deferred: false }:
                    counters.Add("advisors put on a break by the router");
                    await connection.SetStatusAsync(AdvisorStatus.Available, null, cancellationToken);
                    break;
            }
        }
    }

    private void Close(long offerId, DateTimeOffset at)
    {
        if (_open.Remove(offerId, out var offer))
        {
            ledger.OfferEnded(new OfferSpan(offer.ContactId, userName, offer.From, at < offer.ExpiresAt ? at : offer.ExpiresAt));
        }
    }

    private void CloseAll(DateTimeOffset at)
    {
        foreach (var offerId in _open.Keys.ToList())
        {
            Close(offerId, at);
        }
    }
}
