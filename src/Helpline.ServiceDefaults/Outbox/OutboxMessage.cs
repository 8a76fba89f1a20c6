using System.Diagnostics;
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

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? SentAt { get; set; }

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

    private static OutboxMessage Create(object message, string? destination, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(message);
        var type = message.GetType();
        return new()
        {
            MessageId = Guid.CreateVersion7(now),
            MessageType = TypeName(type),
            Payload = JsonSerializer.Serialize(message, type, OutboxSerialization.Options),
            Destination = destination,
            TraceParent = Activity.Current?.Id,
            CreatedAt = now,
        };
    }
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
    }
}

/// <summary>A DbContext that has an outbox table.</summary>
public interface IOutboxContext
{
    DbSet<OutboxMessage> OutboxMessages { get; }
}
