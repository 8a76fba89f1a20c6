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
    /// Open time (Intake's opening hours) from the conversation's first message to the first reply, in
    /// seconds: the first ReplySent's <c>wait_seconds</c>, kept by the trigger of the migration <c>EmailReplyTime</c>.
    /// </summary>
    public double? FirstReplyOpenSeconds { get; init; }

    /// <summary>
    /// What became of a call, computed by the database from the columns above (a stored generated column,
    /// so every report classifies alike): answered (the provider connected it, or it completed with no
    /// hang-up reported before an answer), out_of_hours, no_advisors, overflow, abandoned, short_abandon,
    /// or open (still waiting or ringing). Exactly one for every call.
    /// </summary>
    public string Disposition { get; private set; } = Dispositions.Open;

    /// <summary>
    /// A call's wait in seconds, computed by the database (<see cref="CallQuarterRollup.WaitSql"/>): to the
    /// answer, to the hang-up, or to being turned away by overflow; null otherwise.
    /// </summary>
    public double? WaitSeconds { get; private set; }
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

/// <summary>
/// Calls by the UTC quarter they were received in (<c>console.call_quarters</c>): every additive call figure
/// summed, durations in whole microseconds so that adding and taking away is exact. Kept by a trigger on
/// <c>contact_facts</c> that takes away a fact row's old contribution and adds its new one on every change,
/// so each row always equals <see cref="CallQuarterRollup.RebuildSql"/>'s sum over the facts, however late
/// the events that changed them came. Never written by code.
/// </summary>
internal sealed class CallQuarter
{
    public DateTimeOffset QuarterStart { get; init; }

    public long Received { get; init; }

    public long OutOfHours { get; init; }

    public long NoAdvisors { get; init; }

    public long Abandoned { get; init; }

    public long ShortAbandon { get; init; }

    public long Overflow { get; init; }

    public long Offered { get; init; }

    public long Answered { get; init; }

    public long StillOpen { get; init; }

    public long Callbacks { get; init; }

    public long Withheld { get; init; }

    public long WithheldUnanswered { get; init; }

    public long KnownCalls { get; init; }

    /// <summary>Answered calls with a known wait, and the sum of those waits (the ASA's parts).</summary>
    public long AnsweredWaits { get; init; }

    public long AnsweredWaitMicroseconds { get; init; }

    /// <summary>Completed answered calls with talk and wrap-up known, and the sum of both (the AHT's parts).</summary>
    public long Handled { get; init; }

    public long HandleMicroseconds { get; init; }

    public long WaitedMicroseconds { get; init; }
}

/// <summary>The SQL that defines a call's wait and computes <see cref="CallQuarter"/> rows from the facts.</summary>
internal static class CallQuarterRollup
{
    public const string WaitSql = $"""
        CASE ({Dispositions.Sql})
          WHEN '{Dispositions.Answered}' THEN coalesce(CASE WHEN outcome = 'Completed' THEN end_wait_seconds END, assigned_wait_seconds)
          WHEN '{Dispositions.Abandoned}' THEN coalesce(CASE WHEN outcome = 'Abandoned' THEN end_wait_seconds END, extract(epoch FROM hung_up_at - received_at)::float8)
          WHEN '{Dispositions.ShortAbandon}' THEN coalesce(CASE WHEN outcome = 'Abandoned' THEN end_wait_seconds END, extract(epoch FROM hung_up_at - received_at)::float8)
          WHEN '{Dispositions.Overflow}' THEN end_wait_seconds
        END
        """;

    public const string Columns = """
        quarter_start, received, out_of_hours, no_advisors, abandoned, short_abandon, overflow, offered, answered, still_open, callbacks,
        withheld, withheld_unanswered, known_calls, answered_waits, answered_wait_microseconds, handled, handle_microseconds, waited_microseconds
        """;

    /// <summary>
    /// One call's contribution to its quarter, the columns of <see cref="Columns"/> in order, from a fact row
    /// <c>f</c> and its talk time <c>talk</c>; multiplied by <c>sign</c> (1 to add, -1 to take away).
    /// </summary>
    public const string Contribution = $"""
        date_bin('15 minutes', f.received_at, TIMESTAMPTZ '2000-01-01 00:00:00+00'), sign,
        sign * (f.disposition = '{Dispositions.OutOfHours}')::int, sign * (f.disposition = '{Dispositions.NoAdvisors}')::int,
        sign * (f.disposition = '{Dispositions.Abandoned}')::int, sign * (f.disposition = '{Dispositions.ShortAbandon}')::int,
        sign * (f.disposition = '{Dispositions.Overflow}')::int, sign * (f.queued OR f.disposition = '{Dispositions.NoAdvisors}')::int,
        sign * (f.disposition = '{Dispositions.Answered}')::int, sign * (f.disposition = '{Dispositions.Open}')::int, sign * f.callback_requested::int,
        sign * (f.caller_key IS NULL)::int, sign * (f.caller_key IS NULL AND f.disposition <> '{Dispositions.Answered}')::int, sign * (f.caller_key IS NOT NULL)::int,
        sign * (f.disposition = '{Dispositions.Answered}' AND f.wait_seconds IS NOT NULL)::int,
        sign * CASE WHEN f.disposition = '{Dispositions.Answered}' THEN coalesce(round(f.wait_seconds * 1000000)::bigint, 0) ELSE 0 END,
        sign * (talk IS NOT NULL AND f.wrap_up_seconds IS NOT NULL)::int,
        sign * coalesce(round((talk + f.wrap_up_seconds) * 1000000)::bigint, 0),
        sign * coalesce(round(f.wait_seconds * 1000000)::bigint, 0)
        """;

    /// <summary>The talk time of a completed answered call: from the answer (or assignment) to its end.</summary>
    public const string TalkSql = $"""
        CASE WHEN f.outcome = 'Completed' AND f.disposition = '{Dispositions.Answered}' THEN extract(epoch FROM f.ended_at - coalesce(f.answered_at, f.assigned_at))::float8 END
        """;

    /// <summary>Every call's contribution summed by quarter: the rollup computed from scratch (its first fill, and what the tests compare it with).</summary>
    public const string RebuildSql = $"""
        INSERT INTO console.call_quarters ({Columns})
        SELECT c.quarter_start, sum(c.received), sum(c.out_of_hours), sum(c.no_advisors), sum(c.abandoned), sum(c.short_abandon), sum(c.overflow),
               sum(c.offered), sum(c.answered), sum(c.still_open), sum(c.callbacks), sum(c.withheld), sum(c.withheld_unanswered), sum(c.known_calls),
               sum(c.answered_waits), sum(c.answered_wait_microseconds), sum(c.handled), sum(c.handle_microseconds), sum(c.waited_microseconds)
        FROM (SELECT {Contribution}
              FROM console.contact_facts f
              CROSS JOIN LATERAL (SELECT 1 AS sign, {TalkSql} AS talk) x
              WHERE f.channel = 'Call' AND f.received_at IS NOT NULL) AS c({Columns})
        GROUP BY c.quarter_start
        """;
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
        builder.Property(f => f.WaitSeconds).HasComputedColumnSql(CallQuarterRollup.WaitSql, stored: true);
        builder.HasIndex(f => f.ReceivedAt);
        builder.HasIndex(f => f.ReceivedAt, "calls").HasDatabaseName("ix_contact_facts_calls").IncludeProperties(f => new { f.CallerKey, f.Disposition, f.WaitSeconds }).HasFilter("channel = 'Call'");
        builder.HasIndex(f => new { f.AdvisorId, f.EndedAt });
        builder.HasIndex(f => f.ReceivedAt, "email_replies").HasDatabaseName("ix_contact_facts_email_replies").IncludeProperties(f => f.FirstReplyOpenSeconds)
            .HasFilter("channel = 'Email' AND first_reply_open_seconds IS NOT NULL");
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

internal sealed class CallQuarterConfiguration : IEntityTypeConfiguration<CallQuarter>
{
    public void Configure(EntityTypeBuilder<CallQuarter> builder)
    {
        builder.ToTable("call_quarters");
        builder.HasKey(q => q.QuarterStart);
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
        builder.HasIndex(a => a.At, "at").HasDatabaseName("ix_email_activity_at").IncludeProperties(a => a.Kind);
        builder.HasIndex(a => a.ContactId).IsUnique().HasFilter("kind = 'Opened'");
    }
}
