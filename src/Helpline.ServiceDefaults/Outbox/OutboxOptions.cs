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
}

/// <summary>Which messages the dispatcher may publish out of step with the others (see <c>AddTransactionalOutbox</c>).</summary>
internal sealed class OutboxStreams(IEnumerable<Type> independentTypes)
{
    private readonly HashSet<string> _independent = independentTypes.Select(OutboxMessage.TypeName).ToHashSet();

    /// <summary>The stream a row belongs to: its own type's when that type is independent, else the main one.</summary>
    public string Of(OutboxMessage row) => _independent.Contains(row.MessageType) ? row.MessageType : string.Empty;
}
