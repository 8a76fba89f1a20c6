using System.ComponentModel.DataAnnotations;
using Helpline.Routing;

namespace Helpline.Console.RouterHosting;

/// <summary>The router's rules as configuration (section <c>Routing</c>); see src/Helpline.Routing/README.md.</summary>
internal sealed class RoutingSettings
{
    public const string Section = "Routing";

    /// <summary>The queue every routing input goes to; one consumer at a time is active on it.</summary>
    public const string Queue = "routing";

    /// <summary>
    /// Where senders put routing inputs: the exchange MassTransit binds to the routing queue. Sending
    /// to <c>queue:routing</c> would declare the queue without its single-active-consumer argument.
    /// </summary>
    public static readonly Uri Address = new($"exchange:{Queue}");

    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan OfferTimeout { get; set; } = TimeSpan.FromSeconds(20);

    [Range(0, 100)]
    public int MissedOffersBeforeBreak { get; set; } = 2;

    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan WrapUp { get; set; } = TimeSpan.FromSeconds(60);

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan WrapUpExtension { get; set; } = TimeSpan.FromSeconds(30);

    [Range(1, 50)]
    public int DefaultEmailCapacity { get; set; } = 3;

    public bool OfferCallsWhileEmailing { get; set; } = true;

    public AdvisorSelection AdvisorSelection { get; set; } = AdvisorSelection.LongestIdle;

    [Range(1, 10_000)]
    public int? CallMaxQueueLength { get; set; }

    public TimeSpan? CallMaxWait { get; set; }

    [Range(1, 100_000)]
    public int? EmailMaxQueueLength { get; set; }

    public TimeSpan? EmailMaxWait { get; set; }

    /// <summary>
    /// How many transitions between checkpoints of the whole state; the journal of inputs covers
    /// the ones in between (a take-over replays at most this many).
    /// </summary>
    [Range(1, 100_000)]
    public int CheckpointEvery { get; set; } = 500;

    /// <summary>
    /// The most routing inputs committed as one transition. Inputs that arrive while a transition
    /// commits wait and go together in the next, so a busy queue costs one commit per batch.
    /// </summary>
    [Range(1, 1000)]
    public int MaxBatch { get; set; } = 64;

    /// <summary>How often, at most, queued callers' changed places are sent to Intake for hold messages.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan QueuePositionInterval { get; set; } = TimeSpan.FromSeconds(1);

    public RoutingOptions ToOptions() => new()
    {
        OfferTimeout = OfferTimeout,
        MissedOffersBeforeBreak = MissedOffersBeforeBreak,
        WrapUp = WrapUp,
        WrapUpExtension = WrapUpExtension,
        DefaultEmailCapacity = DefaultEmailCapacity,
        OfferCallsWhileEmailing = OfferCallsWhileEmailing,
        AdvisorSelection = AdvisorSelection,
        CallLimits = new ChannelLimits { MaxQueueLength = CallMaxQueueLength, MaxWait = CallMaxWait },
        EmailLimits = new ChannelLimits { MaxQueueLength = EmailMaxQueueLength, MaxWait = EmailMaxWait },
    };
}
