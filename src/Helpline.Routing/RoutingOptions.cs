using Helpline.Contracts;

namespace Helpline.Routing;

public sealed record ChannelLimits
{
    public static ChannelLimits None { get; } = new();

    /// <summary>Most contacts waiting (not ringing) in the channel; a contact arriving to a full queue overflows.</summary>
    public int? MaxQueueLength { get; init; }

    /// <summary>Longest a contact may wait, from its original entry time; checked while it is waiting, not while it rings.</summary>
    public TimeSpan? MaxWait { get; init; }
}

public sealed record RoutingOptions
{
    public TimeSpan OfferTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Consecutive timed-out offers that put an advisor on break; 0 never does.</summary>
    public int MissedOffersBeforeBreak { get; init; } = 2;

    public string MissedOffersBreakReason { get; init; } = "missed offers";

    /// <summary>Break reason used when a break is requested without one.</summary>
    public string DefaultBreakReason { get; init; } = "break";

    /// <summary>Wrap-up after a call; zero makes the advisor available at once.</summary>
    public TimeSpan WrapUp { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>What <see cref="WrapUpExtended"/> adds when it carries no duration.</summary>
    public TimeSpan WrapUpExtension { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Concurrent email conversations for an advisor configured without a capacity.</summary>
    public int DefaultEmailCapacity { get; init; } = 3;

    /// <summary>Whether an advisor holding open emails may be offered a call.</summary>
    public bool OfferCallsWhileEmailing { get; init; } = true;

    public AdvisorSelection AdvisorSelection { get; init; } = AdvisorSelection.LongestIdle;

    public ChannelLimits CallLimits { get; init; } = ChannelLimits.None;

    public ChannelLimits EmailLimits { get; init; } = ChannelLimits.None;

    /// <summary>Handle time assumed for wait estimates until calls have been handled.</summary>
    public TimeSpan DefaultCallHandleTime { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Handle time assumed for wait estimates until emails have been handled.</summary>
    public TimeSpan DefaultEmailHandleTime { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>How many recent handle times per channel the wait estimate averages.</summary>
    public int HandleTimeSamples { get; init; } = 50;

    /// <summary>How many ended contacts and offers are remembered to explain late commands.</summary>
    public int EndedHistoryCapacity { get; init; } = 10_000;

    internal ChannelLimits LimitsFor(ContactChannel channel) => channel == ContactChannel.Call ? CallLimits : EmailLimits;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        Require(OfferTimeout > TimeSpan.Zero, nameof(OfferTimeout), "must be positive");
        Require(MissedOffersBeforeBreak >= 0, nameof(MissedOffersBeforeBreak), "must not be negative");
        Require(!string.IsNullOrWhiteSpace(MissedOffersBreakReason), nameof(MissedOffersBreakReason), "is required");
        Require(!string.IsNullOrWhiteSpace(DefaultBreakReason), nameof(DefaultBreakReason), "is required");
        Require(WrapUp >= TimeSpan.Zero, nameof(WrapUp), "must not be negative");
        Require(WrapUpExtension > TimeSpan.Zero, nameof(WrapUpExtension), "must be positive");
        Require(DefaultEmailCapacity >= 0, nameof(DefaultEmailCapacity), "must not be negative");
        Require(Enum.IsDefined(AdvisorSelection), nameof(AdvisorSelection), "is not a known selection");
        Require(CallLimits is not null, nameof(CallLimits), "is required");
        Require(EmailLimits is not null, nameof(EmailLimits), "is required");
        ValidateLimits(CallLimits!, nameof(CallLimits));
        ValidateLimits(EmailLimits!, nameof(EmailLimits));
        Require(DefaultCallHandleTime > TimeSpan.Zero, nameof(DefaultCallHandleTime), "must be positive");
        Require(DefaultEmailHandleTime > TimeSpan.Zero, nameof(DefaultEmailHandleTime), "must be positive");
        Require(HandleTimeSamples >= 1, nameof(HandleTimeSamples), "must be at least 1");
        Require(EndedHistoryCapacity >= 0, nameof(EndedHistoryCapacity), "must not be negative");
    }

    private static void ValidateLimits(ChannelLimits limits, string name)
    {
        Require(limits.MaxQueueLength is null or >= 1, name + ".MaxQueueLength", "must be at least 1 when set");
        Require(limits.MaxWait is null || limits.MaxWait > TimeSpan.Zero, name + ".MaxWait", "must be positive when set");
    }

    private static void Require(bool condition, string setting, string problem)
    {
        if (!condition)
        {
            throw new ArgumentException($"RoutingOptions.{setting} {problem}.");
        }
    }
}
