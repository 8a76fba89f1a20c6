using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helpline.Console.Contacts;

/// <summary>What happened to a contact. Stored by name (<c>contact_events.type</c>), so reports read it as text.</summary>
internal enum ContactEventType
{
    /// <summary>Intake stored the contact and Console took it in (at the time Intake received it).</summary>
    Received,

    /// <summary>The contact joined its channel's queue.</summary>
    Queued,

    /// <summary>It rang at an advisor (<see cref="ContactEvent.OfferId"/>).</summary>
    Offered,

    /// <summary>The advisor declined the offer.</summary>
    OfferDeclined,

    /// <summary>Nobody answered the offer in time.</summary>
    OfferTimedOut,

    /// <summary>The offer stopped ringing for another reason (<see cref="ContactEvent.Reason"/>: the caller hung up, the advisor went unavailable).</summary>
    OfferWithdrawn,

    /// <summary>The advisor accepted; <see cref="ContactEvent.WaitSeconds"/> is the wait until then.</summary>
    Assigned,

    /// <summary>The phone network bridged the call to the advisor.</summary>
    Answered,

    /// <summary>The assignment was taken back (the call could not be connected, the advisor signed out holding emails).</summary>
    AssignmentUndone,

    /// <summary>The contact waits again at its original place.</summary>
    Requeued,

    /// <summary>The contact's one terminal outcome (<see cref="ContactEvent.Outcome"/>).</summary>
    Ended,

    /// <summary>A caller turned away consented to be called back.</summary>
    CallbackRequested,

    /// <summary>
    /// Intake says the caller hung up before the call was answered (its Abandoned), at Intake's time;
    /// <see cref="ContactEvent.Reason"/> ShortAbandon when within Intake's short-abandon threshold. The reports
    /// count abandons from it (the router records a hang-up while connecting as the end of an assigned call).
    /// </summary>
    CallerHungUp,

    /// <summary>An inbound human message of an email conversation, the first included (automatic mail is not counted).</summary>
    EmailReceived,

    /// <summary>An advisor's reply was accepted by the mail server (<see cref="ContactEvent.AdvisorId"/>); the first is the first human response.</summary>
    ReplySent,

    /// <summary>A later message from the sender reopened a closed email conversation.</summary>
    Reopened,
}

/// <summary>
/// One step in a contact's life, appended by the router's transition that caused it (the role
/// Asterisk's queue_log plays). Reports are SQL over these rows.
/// </summary>
internal sealed class ContactEvent
{
    public long Id { get; private set; }

    public Guid ContactId { get; init; }

    public required ContactEventType Type { get; init; }

    public Guid? AdvisorId { get; init; }

    public long? OfferId { get; init; }

    /// <summary>For Ended: Completed, Abandoned, Overflow, NoAdvisors, OutOfHours.</summary>
    public string? Outcome { get; init; }

    /// <summary>Why (an overflow reason, a withdrawal reason, an undo reason).</summary>
    public string? Reason { get; init; }

    /// <summary>Seconds waited since the contact entered the queue, for Assigned and Ended.</summary>
    public double? WaitSeconds { get; init; }

    public DateTimeOffset At { get; init; }
}

internal sealed class ContactEventConfiguration : IEntityTypeConfiguration<ContactEvent>
{
    public void Configure(EntityTypeBuilder<ContactEvent> builder)
    {
        builder.ToTable("contact_events");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).UseIdentityAlwaysColumn();
        builder.Property(e => e.Type).HasConversion<string>().HasMaxLength(32);
        builder.Property(e => e.Outcome).HasMaxLength(32);
        builder.Property(e => e.Reason).HasMaxLength(64);
        builder.HasIndex(e => new { e.ContactId, e.Id });
        builder.HasIndex(e => e.At);
    }
}
