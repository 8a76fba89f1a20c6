using System.Buffers.Binary;
using System.Diagnostics;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Helpline.LoadGenerator;

/// <summary>
/// The floor under the call path: persistent messages published with publisher confirms to a
/// throwaway durable queue on the same broker and consumed on another channel, each timed from just
/// before its publish to its delivery. The queue deletes itself when the consumer goes.
/// </summary>
internal static class RabbitFloor
{
    private static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Publishes <paramref name="count"/> messages at <paramref name="perSecond"/>; the summary counts only those delivered.</summary>
    public static async Task<LatencySummary> MeasureAsync(Uri broker, int count, double perSecond, CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory { Uri = broker, ClientProvidedName = "helpline-load-generator-floor" };
        await using var connection = await factory.CreateConnectionAsync(cancellationToken);
        await using var publisher = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);
        await using var subscriber = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        var queue = await publisher.QueueDeclareAsync(
            $"load-generator-floor-{Guid.NewGuid():N}", durable: true, exclusive: false, autoDelete: true, cancellationToken: cancellationToken);

        var sentAt = new long[count];
        var roundTrips = new TimeSpan?[count];
        var delivered = 0;
        var allDelivered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumer = new AsyncEventingBasicConsumer(subscriber);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            var now = Stopwatch.GetTimestamp();
            var index = BinaryPrimitives.ReadInt32LittleEndian(delivery.Body.Span);
            roundTrips[index] = Stopwatch.GetElapsedTime(Volatile.Read(ref sentAt[index]), now);
            if (Interlocked.Increment(ref delivered) == count)
            {
                allDelivered.TrySetResult();
            }

            return Task.CompletedTask;
        };
        await subscriber.BasicConsumeAsync(queue.QueueName, autoAck: true, consumer, cancellationToken);

        var properties = new BasicProperties { Persistent = true };
        var pacer = new Pacer();
        for (var index = 0; index < count; index++)
        {
            await pacer.WaitUntilAsync(Pacer.AtRate(index, perSecond), cancellationToken);
            var body = new byte[sizeof(int)];
            BinaryPrimitives.WriteInt32LittleEndian(body, index);
            Volatile.Write(ref sentAt[index], Stopwatch.GetTimestamp());
            await publisher.BasicPublishAsync(string.Empty, queue.QueueName, mandatory: false, properties, body, cancellationToken);
        }

        await Task.WhenAny(allDelivered.Task, Task.Delay(DeliveryTimeout, cancellationToken));
        return LatencySummary.Of(roundTrips.OfType<TimeSpan>());
    }
}
