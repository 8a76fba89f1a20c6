namespace Helpline.LoadGenerator.Simulation;

/// <summary>
/// An advisor who reacts to an offer after a moment: usually accepts, sometimes declines, sometimes
/// lets it ring out. The call itself is ended by the phone side (<see cref="TrafficSimulation"/>);
/// the advisor then wraps up for a while, ends wrap-up and now and then takes a break. Put on a
/// break by the router for missed offers, they come back after a break's length.
/// </summary>
internal sealed class SimulatedAdvisor(AdvisorConnection connection, CallBook calls, SimulationOptions options, Counters counters)
{
    private static readonly string[] BreakReasons = ["comfort break", "debrief", "lunch"];

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await foreach (var message in connection.Inbox.ReadAllAsync(cancellationToken))
        {
            switch (message.Payload)
            {
                case ContactOffered offer:
                    calls.For(offer.ContactId).Offered();
                    await RespondAsync(offer, cancellationToken);
                    break;
                case ContactAssigned assigned:
                    calls.For(assigned.ContactId).Answer();
                    break;
                case WrapUpScheduled:
                    await WrapUpAsync(cancellationToken);
                    break;
                case StatusChanged { Status: AdvisorStatus.Break, Deferred: false, Reason: AdvisorStatus.MissedOffers }:
                    counters.Add("advisors put on break for missed offers");
                    await BreakAsync(cancellationToken);
                    break;
                case OfferWithdrawn withdrawn:
                    counters.Add($"offers withdrawn: {withdrawn.Reason}");
                    break;
                case AssignmentUndone undone:
                    counters.Add($"assignments undone: {undone.Reason}");
                    break;
            }
        }
    }

    private async Task RespondAsync(ContactOffered offer, CancellationToken cancellationToken)
    {
        await Task.Delay(options.AnswerDelay.Draw(), cancellationToken);
        var roll = Random.Shared.NextDouble();
        if (roll < options.MissChance)
        {
            counters.Add("offers left to ring out");
        }
        else if (roll < options.MissChance + options.DeclineChance)
        {
            if (await connection.DeclineAsync(offer.OfferId, cancellationToken))
            {
                counters.Add("offers declined");
            }
        }
        else if (await connection.AcceptAsync(offer.OfferId, cancellationToken))
        {
            counters.Add("offers accepted");
        }
    }

    /// <summary>A break asked for during wrap-up is deferred by the router and starts when wrap-up ends.</summary>
    private async Task WrapUpAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(options.WrapUp.Draw(), cancellationToken);
        var takesBreak = Random.Shared.NextDouble() < options.BreakChance
            && await connection.SetStatusAsync(AdvisorStatus.Break, BreakReasons[Random.Shared.Next(BreakReasons.Length)], cancellationToken);
        await connection.EndWrapUpAsync(cancellationToken);
        if (takesBreak)
        {
            counters.Add("breaks taken after a call");
            await BreakAsync(cancellationToken);
        }
    }

    private async Task BreakAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(options.BreakLength.Draw(), cancellationToken);
        await connection.SetStatusAsync(AdvisorStatus.Available, null, cancellationToken);
    }
}
