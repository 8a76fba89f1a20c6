using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helpline.Console.Reporting;

/// <summary>
/// One row per contact: what its events add up to, for the reports (<c>console.contact_facts</c>). Kept by
/// database triggers on <c>contacts</c> and <c>contact_events</c> in the same transaction as each event,
/// and every column is order-independent (an earliest, a latest, a flag), so a late or out-of-order event
/// leaves the row exactly what recomputing it from all the contact's events would give. Never written by code.
/// </summary>
internal sealed class ContactFact
{
    public Guid ContactId { get; init; }

    public string? Channel { get; init; }

    /// <summary>The keyed hash of the caller's number (or address); null when withheld.</summary>
    public string? CallerKey { get; init; }

    public DateTimeOffset? ReceivedAt { get; init; }

    /// <summary>The contact entered a queue (a Queued event).</summary>
    public bool Queued { get; init; }

    /// <summary>The latest Ended event's outcome: Completed, Abandoned, Overflow, NoAdvisors, OutOfHours.</summary>
    public string? Outcome { get; init; }

    /// <summary>Intake told Console the caller hung up before an answer (a CallerHungUp event): Intake's own Abandoned.</summary>
    public DateTimeOffset? HungUpAt { get; init; }

    /// <summary>That hang-up came within Intake's short-abandon threshold (the event's reason ShortAbandon).</summary>
    public bool ShortAbandon { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>The Ended event's wait: entry to answer (Completed) or to the end (otherwise).</summary>
    public double? EndWaitSeconds { get; init; }

    /// <summary>The first Answered event (the provider connected the call).</summary>
    public DateTimeOffset? AnsweredAt { get; init; }

    /// <summary>The latest Assigned event and its wait (an assignment can be undone and made again).</summary>
    public DateTimeOffset? AssignedAt { get; init; }

    public double? AssignedWaitSeconds { get; init; }

    /// <summary>The advisor of the latest assignment or answer.</summary>
    public Guid? AdvisorId { get; init; }

    public bool CallbackRequested { get; init; }

    /// <summary>The advisor's wrap-up after this call (from <c>advisor_events</c>), once it has ended.</summary>
    public double? WrapUpSeconds { get; init; }

    /// <summary>Inbound messages of an email conversation (EmailReceived events).</summary>
    public int EmailMessages { get; init; }

    /// <summary>The first ReplySent: the first human response.</summary>
    public DateTimeOffset? FirstReplyAt { get; init; }

    /// <summary>
    /// What became of a call, computed by the database from the columns above (a stored generated column,
    /// so every report classifies alike): answered (the provider connected it, or it completed with no
    /// hang-up reported before an answer), out_of_hours, no_advisors, overflow, abandoned, short_abandon,
    /// or open (still waiting or ringing). Exactly one for every call.
    /// </summary>
    public string Disposition { get; private set; } = Dispositions.Open;
}

/// <summary>The values of <see cref="ContactFact.Disposition"/>, named as the reports name the reasons.</summary>
internal static class Dispositions
{
    public const string Answered = "answered";
    public const string OutOfHours = "out_of_hours";
    public const string NoAdvisors = "no_advisors";
    public const string Overflow = "overflow";
    public const string Abandoned = "abandoned";
    public const string ShortAbandon = "short_abandon";
    public const string Open = "open";

    public const string Sql = $"""
        CASE
          WHEN answered_at IS NOT NULL OR (outcome = 'Completed' AND hung_up_at IS NULL) THEN '{Answered}'
          WHEN outcome = 'OutOfHours' THEN '{OutOfHours}'
          WHEN outcome = 'NoAdvisors' THEN '{NoAdvisors}'
          WHEN outcome = 'Overflow' THEN '{Overflow}'
          WHEN outcome = 'Abandoned' OR hung_up_at IS NOT NULL THEN CASE WHEN short_abandon THEN '{ShortAbandon}' ELSE '{Abandoned}' END
          ELSE '{Open}'
        END
        """;
}

/// <summary>
/// Advisors' time by state in 15-minute UTC quarters, summed over advisors (<c>console.advisor_time</c>), in
/// microseconds: every report interval (15, 30, 60 minutes from local midnight, days, weeks, months in
/// Europe/London, whose offsets are whole hours) is a union of quarters. Kept by a trigger on
/// <c>advisor_events</c>: an event closes the advisor's open span and adds it; a late event inside a closed
/// span moves that part of the span from the old state to the new one. The span still open (each
/// advisor's current state) is added by the report itself. Offline time is not kept.
/// </summary>
internal sealed class AdvisorTime
{
    public DateTimeOffset QuarterStart { get; init; }

    public required string Status { get; init; }

    /// <summary>The break reason, or empty.</summary>
    public required string Reason { get; init; }

    public long Microseconds { get; init; }
}

/// <summary>
/// Each advisor's signed-in time (any state but Offline) per quarter (<c>console.advisor_presence</c>), kept
/// by the same trigger with the same additions as <see cref="AdvisorTime"/>: an advisor was signed in
/// during an interval when any of its quarters has time for them.
/// </summary>
internal sealed class AdvisorPresence
{
    public DateTimeOffset QuarterStart { get; init; }

    public Guid AdvisorId { get; init; }

    public long Microseconds { get; init; }
}

/// <summary>
/// What happened to email conversations, one row per fact the reports count (<c>console.email_activity</c>,
/// kept by the contact-events trigger): <c>Received</c> for every inbound message, <c>Opened</c> at a
/// conversation's first message (one per conversation, moved earlier if an earlier message turns up late),
/// <c>Reopened</c>, and <c>Closed</c> (its Ended event). The backlog at any moment is Opened + Reopened −
/// Closed before it.
/// </summary>
internal sealed class EmailActivity
{
    public long Id { get; private set; }

    public Guid ContactId { get; init; }

    public DateTimeOffset At { get; init; }

    public required string Kind { get; init; }
}

internal sealed class ContactFactConfiguration : IEntityTypeConfiguration<ContactFact>
{
    public void Configure(EntityTypeBuilder<ContactFact> builder)
    {
        builder.ToTable("contact_facts");
        builder.HasKey(f => f.ContactId);
        builder.Property(f => f.ContactId).ValueGeneratedNever();
        builder.Property(f => f.Channel).HasMaxLength(16);
        builder.Property(f => f.CallerKey).HasMaxLength(64);
        builder.Property(f => f.Outcome).HasMaxLength(32);
        builder.Property(f => f.Disposition).HasMaxLength(16).HasComputedColumnSql(Dispositions.Sql, stored: true);
        builder.HasIndex(f => f.ReceivedAt);
        builder.HasIndex(f => new { f.AdvisorId, f.EndedAt });
    }
}

internal sealed class AdvisorTimeConfiguration : IEntityTypeConfiguration<AdvisorTime>
{
    public void Configure(EntityTypeBuilder<AdvisorTime> builder)
    {
        builder.ToTable("advisor_time");
        builder.HasKey(t => new { t.QuarterStart, t.Status, t.Reason });
        builder.Property(t => t.Status).HasMaxLength(16);
        builder.Property(t => t.Reason).HasMaxLength(64);
    }
}

internal sealed class AdvisorPresenceConfiguration : IEntityTypeConfiguration<AdvisorPresence>
{
    public void Configure(EntityTypeBuilder<AdvisorPresence> builder)
    {
        builder.ToTable("advisor_presence");
        builder.HasKey(p => new { p.QuarterStart, p.AdvisorId });
    }
}

internal sealed class EmailActivityConfiguration : IEntityTypeConfiguration<EmailActivity>
{
    public void Configure(EntityTypeBuilder<EmailActivity> builder)
    {
        builder.ToTable("email_activity");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).UseIdentityAlwaysColumn();
        builder.Property(a => a.Kind).HasMaxLength(16);
        builder.HasIndex(a => new { a.Kind, a.At });
        builder.HasIndex(a => a.ContactId).IsUnique().HasFilter("kind = 'Opened'");
    }
}
