using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Reflection;

namespace Helpline.ServiceDefaults.Outbox;

public sealed class OutboxOptions
{
    public const string Section = "Outbox";

    /// <summary>How often the dispatcher looks for unsent rows when nothing wakes it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long one publish may wait for the broker's confirm before the batch is retried.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest pause between attempts while the broker is unreachable.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    [Range(1, 1000)]
    public int BatchSize { get; set; } = 100;
}

/// <summary>
/// Which messages the dispatcher must publish one after another (see <c>AddTransactionalOutbox</c>):
/// those of one stream about one contact. A message with a <c>ContactId</c> is ordered only with the
/// others about that contact; an independent type is a stream of its own. Rows of different keys are
/// published side by side, so a batch costs about one broker confirm instead of one per row.
/// </summary>
internal sealed class OutboxStreams(IEnumerable<Type> independentTypes)
{
    private static readonly ConcurrentDictionary<Type, PropertyInfo?> ContactIds = new();
    private readonly HashSet<string> _independent = independentTypes.Select(OutboxMessage.TypeName).ToHashSet();

    /// <summary>The ordering key of <paramref name="row"/>, whose deserialized message is <paramref name="message"/>.</summary>
    public string Of(OutboxMessage row, object message)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(message);
        var stream = _independent.Contains(row.MessageType) ? row.MessageType : string.Empty;
        var contactId = ContactIds.GetOrAdd(message.GetType(), static type => type.GetProperty("ContactId") is { PropertyType: var t } property && t == typeof(Guid) ? property : null);
        return contactId is null ? stream : $"{stream}/{contactId.GetValue(message)}";
    }
}
