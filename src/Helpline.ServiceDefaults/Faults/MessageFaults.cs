using System.Diagnostics.Metrics;
using MassTransit;
using MassTransit.Middleware;
using Microsoft.Extensions.Logging;

namespace Helpline.ServiceDefaults.Faults;

/// <summary>
/// How every receive endpoint of every service handles a consumer's failure (see
/// <c>AddHelplineMessaging</c>). A transient failure (<see cref="TransientFaults"/>) is retried in place,
/// without limit, backing off to <see cref="MaxTransientInterval"/>: the message stays unacknowledged in
/// its queue (a crash gives it back to the broker), and the endpoint takes no more than its concurrency
/// limit while its dependency is down, so an outage is waited out. Any other failure is retried
/// <see cref="FixedIntervals"/>, and then, only then, the message goes to the endpoint's
/// <c>_error</c> queue, counted and logged with its reason.
/// </summary>
public static partial class MessageFaults
{
    public static readonly TimeSpan MaxTransientInterval = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan[] FixedIntervals = [TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3)];

    /// <summary>Applies the policy to one receive endpoint (<paramref name="endpointName"/> labels its dead letters).</summary>
    public static void UseHelplineFaultPolicy(this IReceiveEndpointConfigurator endpoint, string endpointName, MessagingMetrics metrics, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        endpoint.ConfigureError(error =>
        {
            error.UseFilter(new DeadLetterFilter(endpointName, metrics, logger));
            error.UseFilter(new GenerateFaultFilter());
            error.UseFilter(new ErrorTransportFilter());
        });
        endpoint.UseMessageRetry(retry =>
        {
            retry.Handle<Exception>(TransientFaults.IsTransient);
            retry.Exponential(int.MaxValue, TimeSpan.FromMilliseconds(200), MaxTransientInterval, TimeSpan.FromMilliseconds(500));
        });
        endpoint.UseMessageRetry(retry =>
        {
            retry.Ignore<Exception>(TransientFaults.IsTransient);
            retry.Intervals(FixedIntervals);
        });
    }

    /// <summary>First on the endpoint's error pipe: sees each message every retry gave up on, as it goes to the error queue.</summary>
    private sealed class DeadLetterFilter(string endpointName, MessagingMetrics metrics, ILogger logger) : IFilter<ExceptionReceiveContext>
    {
        public Task Send(ExceptionReceiveContext context, IPipe<ExceptionReceiveContext> next)
        {
            metrics.DeadLettered(endpointName);
            LogDeadLettered(logger, endpointName, context.GetMessageId(), context.Exception.GetType().Name);
            return next.Send(context);
        }

        public void Probe(ProbeContext context) => context.CreateFilterScope("helplineDeadLetter");
    }

    // The exception's message stays in the error queue's fault headers, not in the log: it may quote input.
    [LoggerMessage(Level = LogLevel.Error, Message = "Message {MessageId} on {Endpoint} failed for good ({ExceptionType}); moved to its _error queue")]
    private static partial void LogDeadLettered(ILogger logger, string endpoint, Guid? messageId, string exceptionType);
}

/// <summary>The messaging instruments of a service: messages its consumers gave up on.</summary>
public sealed class MessagingMetrics
{
    private readonly Counter<long> _deadLettered;

    public MessagingMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(HelplineTelemetry.MeterPrefix + "Messaging");
        _deadLettered = meter.CreateCounter<long>("helpline.messaging.dead_lettered", "{message}", "Messages moved to an _error queue after their retries.");
    }

    public void DeadLettered(string endpoint) => _deadLettered.Add(1, new KeyValuePair<string, object?>("endpoint", endpoint));
}
