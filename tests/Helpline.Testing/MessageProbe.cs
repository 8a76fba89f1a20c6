using System.Collections.Concurrent;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Helpline.Testing;

/// <summary>
/// Listens on a real broker to what is published for one message type (MassTransit's exchange
/// for it), through a queue of its own, so tests can see exactly what went over RabbitMQ.
/// </summary>
public sealed class MessageProbe : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly ConcurrentQueue<JsonElement> _messages = new();

    private MessageProbe(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    /// <summary>The message bodies received so far (MassTransit's <c>message</c> part of the envelope).</summary>
    public IReadOnlyCollection<JsonElement> Messages => _messages;

    public static async Task<MessageProbe> CreateAsync(string amqpConnectionString, Type messageType)
    {
        ArgumentNullException.ThrowIfNull(messageType);
        var connection = await new ConnectionFactory { Uri = new Uri(amqpConnectionString) }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        var exchange = $"{messageType.Namespace}:{messageType.Name}";
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
        var queue = await channel.QueueDeclareAsync(queue: "", durable: false, exclusive: true, autoDelete: true);
        await channel.QueueBindAsync(queue.QueueName, exchange, routingKey: "");

        var probe = new MessageProbe(connection, channel);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            using var envelope = JsonDocument.Parse(delivery.Body);
            probe._messages.Enqueue(envelope.RootElement.GetProperty("message").Clone());
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue.QueueName, autoAck: true, consumer);
        return probe;
    }

    public int CountWhere(string property, string value) =>
        _messages.Count(m => m.TryGetProperty(property, out var p) && string.Equals(p.ToString(), value, StringComparison.OrdinalIgnoreCase));

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
