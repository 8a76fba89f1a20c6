using System.Text.Json.Serialization;
using Helpline.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helpline.Intake.Calls;

/// <summary>
/// Where a call is, as far as Intake knows. The unanswered end states carry domain.md's reasons
/// (<see cref="OutOfHours"/>, <see cref="NoAdvisors"/>, <see cref="Overflow"/>, <see cref="Abandoned"/>).
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<CallState>))]
internal enum CallState
{
    /// <summary>Handed to Console, waiting for an advisor.</summary>
    Queued,

    /// <summary>An advisor accepted; the provider is bridging the call.</summary>
    Connecting,

    /// <summary>The provider bridged the call to the advisor.</summary>
    Answered,

    /// <summary>An answered call ended.</summary>
    Completed,

    OutOfHours,
    NoAdvisors,
    Overflow,
    Abandoned,
}

/// <summary>A call as the provider announced it, and what happened to it. The caller's number is never stored in clear here.</summary>
internal sealed class InboundCall
{
    /// <summary>The contact id that Console knows the call by.</summary>
    public Guid Id { get; init; }

    /// <summary>Which door the call came through: <c>api</c> (provider-neutral) or a provider's name.</summary>
    public required string Provider { get; init; }

    public required string ProviderCallId { get; init; }

    /// <summary>HMAC of the caller's number; null when withheld.</summary>
    public string? CallerKey { get; init; }

    public required string DialledNumber { get; init; }

    public DateTimeOffset ReceivedAt { get; init; }

    public DateTimeOffset StoredAt { get; init; }

    public CallState State { get; set; }

    /// <summary>The provider's own last status for the call (Twilio's <c>CallStatus</c>), so a replayed callback is recognised.</summary>
    public string? ProviderStatus { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }

    /// <summary>The advisor the call is being, or was, connected to.</summary>
    public Guid? AdvisorId { get; set; }

    public DateTimeOffset? AnsweredAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    public CallEndedBy? EndedBy { get; set; }

    /// <summary>Abandoned at most <see cref="CallOptions.ShortAbandonThreshold"/> after arriving; false for every other outcome.</summary>
    public bool ShortAbandon { get; set; }

    /// <summary>When the caller consented to a callback (the encrypted number is in <c>callback_requests</c>); null when they did not.</summary>
    public DateTimeOffset? CallbackRequestedAt { get; set; }

    /// <summary>The latest place in the queue Console reported (<c>CallQueuePositions</c>), for hold messages.</summary>
    public int? QueuePosition { get; set; }

    public TimeSpan? EstimatedWait { get; set; }

    public DateTimeOffset? QueueUpdatedAt { get; set; }

    public bool IsWaiting => State is CallState.Queued or CallState.Connecting;
}

internal sealed class InboundCallConfiguration : IEntityTypeConfiguration<InboundCall>
{
    public void Configure(EntityTypeBuilder<InboundCall> builder)
    {
        builder.ToTable("inbound_calls");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Provider).HasMaxLength(32);
        builder.Property(c => c.ProviderCallId).HasMaxLength(CallRequest.MaxProviderCallIdLength);
        builder.Property(c => c.CallerKey).HasMaxLength(64);
        builder.Property(c => c.DialledNumber).HasMaxLength(16);
        builder.Property(c => c.State).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.ProviderStatus).HasMaxLength(32);
        builder.Property(c => c.EndedBy).HasConversion<string>().HasMaxLength(16);
        builder.HasIndex(c => new { c.Provider, c.ProviderCallId }).IsUnique();
    }
}
