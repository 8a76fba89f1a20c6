using Helpline.Contracts;

namespace Helpline.Routing;

public sealed partial class RouterState
{
    /// <summary>
    /// What the router holds, counted: per channel the contacts waiting, ringing and assigned, and the
    /// entry time of the longest waiting or ringing one; advisors per status. For live gauges and the
    /// supervisors' dashboard; O(contacts held + advisors).
    /// </summary>
    public RouterSummary Summarize()
    {
        var channels = Enum.GetValues<ContactChannel>().ToDictionary(c => c, _ => new ChannelSummary(0, 0, 0, null));
        foreach (var contact in _contacts.Values)
        {
            var summary = channels[contact.Channel];
            channels[contact.Channel] = contact.State switch
            {
                ContactState.Waiting => summary with { Waiting = summary.Waiting + 1, OldestEnteredAt = Earliest(summary.OldestEnteredAt, contact.EnteredAt) },
                ContactState.Offered => summary with { Ringing = summary.Ringing + 1, OldestEnteredAt = Earliest(summary.OldestEnteredAt, contact.EnteredAt) },
                ContactState.Assigned => summary with { Assigned = summary.Assigned + 1 },
                _ => summary,
            };
        }

        var advisors = Enum.GetValues<AdvisorStatus>().ToDictionary(s => s, _ => 0);
        foreach (var advisor in _advisors)
        {
            advisors[advisor.Status]++;
        }

        return new RouterSummary(channels, advisors);
    }

    private static DateTimeOffset Earliest(DateTimeOffset? a, DateTimeOffset b) => a is { } earlier && earlier <= b ? earlier : b;
}

/// <summary>The router's state counted (<see cref="RouterState.Summarize"/>).</summary>
public sealed record RouterSummary(IReadOnlyDictionary<ContactChannel, ChannelSummary> Channels, IReadOnlyDictionary<AdvisorStatus, int> Advisors);

/// <param name="OldestEnteredAt">When the longest waiting or ringing contact entered the queue; null when none does.</param>
public sealed record ChannelSummary(int Waiting, int Ringing, int Assigned, DateTimeOffset? OldestEnteredAt)
{
    /// <summary>In the queue: waiting or ringing.</summary>
    public int Queued => Waiting + Ringing;
}
