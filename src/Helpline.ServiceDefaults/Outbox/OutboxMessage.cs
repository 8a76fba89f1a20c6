using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helpline.ServiceDefaults.Outbox;

/// <summary>
/// A message waiting to be published, written in the same transaction as the change it announces.
/// The dispatcher publishes it with publisher confirms and then stamps <see cref="SentAt"/>.
/// </summary>
public sealed class OutboxMessage
{
    public long Id { get; private set; }

    /// <summary>The MassTransit message id: a republish after a crash carries the same id.</summary>
    public Guid MessageId { get; private set; }

    /// <summary>Type name with its assembly (<c>Namespace.Type, Assembly</c>).</summary>
    public string MessageType { get; private set; } = "";

    public string Payload { get; private set; } = "";

    /// <summary>Send to this queue (<c>queue:name</c>) instead of publishing; null publishes.</summary>
    public string? Destination { get; private set; }

    /// <summary>W3C traceparent of the activity that wrote it, so the publish joins that trace.</summary>
    public string? TraceParent { get; private set; }

    /// <summary>
    /// The contact the message is about (its <c>ContactId</c>), or null: the key the dispatcher keeps the
    /// order of, across replicas too (see <see cref="OutboxDispatcher{TContext}"/>).
    /// </summary>
    public Guid? ContactId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? SentAt { get; set; }

    /// <summary>Failed attempts to publish this row (its message could not be read).</summary>
    public int Attempts { get; set; }

    /// <summary>While set and in the future, neither this row nor a later one about the same contact is published.</summary>
    public DateTimeOffset? NextAttemptAt { get; set; }

    public string? LastError { get; set; }

    /// <summary>A message to publish to whoever subscribes to its (run-time) type.</summary>
    public static OutboxMessage Publish(object message, DateTimeOffset now) => Create(message, null, now);

    /// <summary>A message to send to one endpoint (<c>queue:name</c> or <c>exchange:name</c>).</summary>
    public static OutboxMessage Send(object message, Uri destination, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return Create(message, destination.ToString(), now);
    }

    /// <summary>How a row names its message's type: enough for <see cref="Type.GetType(string)"/> to find it.</summary>
    internal static string TypeName(Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";

    private static readonly ConcurrentDictionary<Type, PropertyInfo?> ContactIds = new();

    private static OutboxMessage Create(object message, string? destination, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(message);
        var type = message.GetType();
        var contactId = ContactIds.GetOrAdd(type, static t => t.GetProperty("ContactId") is { PropertyType: var p } property && p == typeof(Guid) ? property : null);
        return new()
        {
            MessageId = Guid.CreateVersion7(now),
            MessageType = TypeName(type),
            Payload = JsonSerializer.Serialize(message, type, OutboxSerialization.Options),
            Destination = destination,
            TraceParent = Activity.Current?.Id,
            ContactId = (Guid?)contactId?.GetValue(message),
            CreatedAt = now,
        };
    }

    /// <summary>A dead letter put back, to be published again under its own message id (consumers stay idempotent).</summary>
    internal static OutboxMessage Replay(OutboxDeadLetter dead, DateTimeOffset now) => new()
    {
        MessageId = dead.MessageId,
        MessageType = dead.MessageType,
        Payload = dead.Payload,
        Destination = dead.Destination,
        TraceParent = dead.TraceParent,
        ContactId = dead.ContactId,
        CreatedAt = now,
    };
}

/// <summary>
/// An outbox row the dispatcher gave up on after <see cref="OutboxOptions.MaxAttempts"/> (its type no
/// longer resolves, its payload does not read): kept with the reason, out of the way of the rows behind
/// it, until <c>dead-letters replay</c> puts it back (after a deploy that reads it again, or a fix).
/// </summary>
public sealed class OutboxDeadLetter
{
    public long Id { get; private set; }

    public Guid MessageId { get; private set; }

    public string MessageType { get; set; } = "";

    public string Payload { get; set; } = "";

    public string? Destination { get; private set; }

    public string? TraceParent { get; private set; }

    public Guid? ContactId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public int Attempts { get; private set; }

    public string Reason { get; private set; } = "";

    public DateTimeOffset DeadLetteredAt { get; private set; }

    internal static OutboxDeadLetter Of(OutboxMessage row, string reason, DateTimeOffset now) => new()
    {
        MessageId = row.MessageId,
        MessageType = row.MessageType,
        Payload = row.Payload,
        Destination = row.Destination,
        TraceParent = row.TraceParent,
        ContactId = row.ContactId,
        CreatedAt = row.CreatedAt,
        Attempts = row.Attempts,
        Reason = reason,
        DeadLetteredAt = now,
    };
}

internal static class OutboxSerialization
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}

/// <summary>Maps the outbox table into a service's own schema: <c>modelBuilder.ApplyConfiguration(new OutboxMessageConfiguration())</c>.</summary>
public sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ToTable("outbox_messages");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Id).UseIdentityAlwaysColumn();
        builder.HasIndex(m => m.MessageId).IsUnique();
        builder.Property(m => m.MessageType).HasMaxLength(300);
        builder.Property(m => m.Payload).HasColumnType("jsonb");
        builder.Property(m => m.Destination).HasMaxLength(200);
        builder.Property(m => m.TraceParent).HasMaxLength(100);
        builder.HasIndex(m => m.Id).HasFilter("sent_at IS NULL").HasDatabaseName("ix_outbox_messages_unsent");
        builder.Property(m => m.LastError).HasMaxLength(500);
        builder.HasIndex(m => m.ContactId).HasFilter("sent_at IS NULL AND next_attempt_at IS NOT NULL").HasDatabaseName("ix_outbox_messages_waiting");
    }
}

/// <summary>Maps the outbox's dead letters beside it: <c>modelBuilder.ApplyConfiguration(new OutboxDeadLetterConfiguration())</c>.</summary>
public sealed class OutboxDeadLetterConfiguration : IEntityTypeConfiguration<OutboxDeadLetter>
{
    public void Configure(EntityTypeBuilder<OutboxDeadLetter> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ToTable("outbox_dead_letters");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Id).UseIdentityAlwaysColumn();
        builder.Property(m => m.MessageType).HasMaxLength(300);
        builder.Property(m => m.Payload).HasColumnType("jsonb");
        builder.Property(m => m.Destination).HasMaxLength(200);
        builder.Property(m => m.TraceParent).HasMaxLength(100);
        builder.Property(m => m.Reason).HasMaxLength(500);
    }
}

/// <summary>A DbContext that has an outbox table.</summary>
public interface IOutboxContext
{
    DbSet<OutboxMessage> OutboxMessages { get; }

    DbSet<OutboxDeadLetter> OutboxDeadLetters { get; }
}
