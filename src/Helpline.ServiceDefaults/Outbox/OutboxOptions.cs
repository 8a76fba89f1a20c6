using System.ComponentModel.DataAnnotations;

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

    /// <summary>
    /// Attempts at a row whose message cannot be read (its type no longer resolves, its payload does not
    /// deserialize) before it moves to the dead-letter table; between attempts it waits 1 s, doubling up
    /// to <see cref="MaxRetryDelay"/>, and holds back only the rows behind it about the same contact. A
    /// broker that cannot be reached is not the row's fault: it is waited out without counting.
    /// </summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 5;
}

/// <summary>
/// Which messages the dispatcher must publish one after another (see <c>AddTransactionalOutbox</c>):
/// those of one stream about one contact. A message with a <c>ContactId</c> is ordered only with the
/// others about that contact; an independent type is a stream of its own. Rows of different keys are
/// published side by side, so a batch costs about one broker confirm instead of one per row.
/// </summary>
internal sealed class OutboxStreams(IEnumerable<Type> independentTypes)
{
    private readonly HashSet<string> _independent = independentTypes.Select(OutboxMessage.TypeName).ToHashSet();

    /// <summary>The ordering key of <paramref name="row"/>.</summary>
    public string Of(OutboxMessage row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var stream = _independent.Contains(row.MessageType) ? row.MessageType : string.Empty;
        return row.ContactId is { } contactId ? $"{stream}/{contactId}" : stream;
    }
}
