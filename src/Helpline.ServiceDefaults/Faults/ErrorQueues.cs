using System.Collections.Concurrent;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Helpline.ServiceDefaults.Faults;

/// <summary>
/// The <c>_error</c> queues of this service's receive endpoints (MassTransit moves a message there after
/// <see cref="MessageFaults"/> gave up on it, with the exception in its <c>MT-Fault-*</c> headers). Counted
/// with a passive declare; replayed by moving each message, with its headers less the fault ones, back
/// to its endpoint's queue through the default exchange, confirmed before it is acknowledged.
/// </summary>
internal sealed class ErrorQueues(Uri broker) : IDeadLetterStore
{
    private const string ErrorSuffix = "_error";
    private readonly ConcurrentDictionary<string, bool> _endpoints = new(StringComparer.Ordinal);

    /// <summary>An endpoint of this service (called as the bus configures it).</summary>
    public void Add(string endpointName) => _endpoints.TryAdd(endpointName, true);

    public async Task<IReadOnlyList<DeadLetterCount>> CountAsync(CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        var counts = new List<DeadLetterCount>();
        foreach (var endpoint in _endpoints.Keys)
        {
            if (await DepthAsync(connection, endpoint + ErrorSuffix, cancellationToken).ConfigureAwait(false) is > 0 and var depth)
            {
                counts.Add(new DeadLetterCount(endpoint + ErrorSuffix, null, depth));
            }
        }

        return counts;
    }

    public async Task<int> ReplayAsync(CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        var moved = 0;
        foreach (var endpoint in _endpoints.Keys)
        {
            if (await DepthAsync(connection, endpoint + ErrorSuffix, cancellationToken).ConfigureAwait(false) is not > 0
                || await DepthAsync(connection, endpoint, cancellationToken).ConfigureAwait(false) is null)
            {
                continue;
            }

            await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken).ConfigureAwait(false);
            while (await channel.BasicGetAsync(endpoint + ErrorSuffix, autoAck: false, cancellationToken).ConfigureAwait(false) is { } message)
            {
                var properties = new BasicProperties(message.BasicProperties)
                {
                    Headers = message.BasicProperties.Headers?
                        .Where(h => !h.Key.StartsWith("MT-Fault-", StringComparison.Ordinal) && h.Key != "MT-Reason")
                        .ToDictionary(h => h.Key, h => h.Value),
                };
                await channel.BasicPublishAsync(exchange: "", routingKey: endpoint, mandatory: false, properties, message.Body, cancellationToken).ConfigureAwait(false);
                await channel.BasicAckAsync(message.DeliveryTag, multiple: false, cancellationToken).ConfigureAwait(false);
                moved++;
            }
        }

        return moved;
    }

    /// <summary>The queue's depth, or null when it does not exist (the error queue of an endpoint that never failed).</summary>
    private static async Task<long?> DepthAsync(IConnection connection, string queue, CancellationToken cancellationToken)
    {
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue, cancellationToken).ConfigureAwait(false)).MessageCount;
        }
        catch (OperationInterruptedException exception) when (exception.ShutdownReason?.ReplyCode == 404)
        {
            return null;
        }
    }

    private Task<IConnection> ConnectAsync(CancellationToken cancellationToken) =>
        new ConnectionFactory { Uri = broker, ClientProvidedName = "dead-letters" }.CreateConnectionAsync(cancellationToken);
}
