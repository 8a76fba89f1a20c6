using Helpline.ServiceDefaults.Faults;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>RabbitMQ through MassTransit, configured the same way in every service.</summary>
public static class MessagingExtensions
{
    /// <summary>
    /// Connects to the broker named by <c>ConnectionStrings:RabbitMq</c>
    /// (<c>amqp://user:password@host:port/vhost</c>). Publisher confirms are on (MassTransit's default).
    /// Every receive endpoint gets the same fault policy (<see cref="MessageFaults"/>): transient failures
    /// are waited out, only a message that can never succeed reaches an <c>_error</c> queue.
    /// </summary>
    public static IHostApplicationBuilder AddHelplineMessaging(
        this IHostApplicationBuilder builder,
        Action<IBusRegistrationConfigurator> configure,
        HealthStatus brokerDownStatus = HealthStatus.Unhealthy)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);

        var broker = BrokerAddress.Parse(builder.Configuration.GetConnectionString("RabbitMq")
            ?? throw new InvalidOperationException("ConnectionStrings:RabbitMq is not configured."));

        builder.Services.AddSingleton<MessagingMetrics>();
        var errorQueues = new ErrorQueues(broker.Uri);
        builder.AddDeadLetterStore(_ => errorQueues);
        builder.Services.AddMassTransit(bus =>
        {
            bus.SetKebabCaseEndpointNameFormatter();
            // MassTransit otherwise reports the bus's configuration to its vendor over the internet.
            bus.ConfigureUsageTelemetryOptions(options => options.Enabled = false);
            bus.ConfigureHealthCheckOptions(options =>
            {
                options.Name = "rabbitmq";
                options.MinimalFailureStatus = brokerDownStatus;
                options.Tags.Add(ServiceDefaultsExtensions.ReadyTag);
            });
            bus.AddConfigureEndpointsCallback((context, name, endpoint) =>
            {
                errorQueues.Add(name);
                endpoint.UseHelplineFaultPolicy(
                    name,
                    context.GetRequiredService<MessagingMetrics>(),
                    context.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(MessageFaults)));
            });
            configure(bus);
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(broker.Host, broker.Port, broker.VirtualHost, host =>
                {
                    host.Username(broker.Username);
                    host.Password(broker.Password);
                });
                rabbit.ConfigureEndpoints(context);
            });
        });
        return builder;
    }

    /// <summary>
    /// Counts the store <paramref name="store"/> makes with the service's other dead-letter stores (health check
    /// <c>dead-letters</c>, gauge <c>helpline.dead_letters</c>) and replays it with <c>dead-letters replay</c>.
    /// </summary>
    public static IHostApplicationBuilder AddDeadLetterStore(this IHostApplicationBuilder builder, Func<IServiceProvider, IDeadLetterStore> store)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton(store);
        if (!builder.Services.Any(s => s.ServiceType == typeof(DeadLetterMonitor)))
        {
            builder.Services.AddValidatedOptions<DeadLetterOptions>(DeadLetterOptions.Section);
            builder.Services.AddSingleton<DeadLetterMonitor>();
            builder.Services.AddHostedService(services => services.GetRequiredService<DeadLetterMonitor>());
            builder.Services.AddHealthChecks().AddCheck<DeadLetterMonitor>("dead-letters", tags: [ServiceDefaultsExtensions.ReadyTag]);
        }

        return builder;
    }

    private sealed record BrokerAddress(Uri Uri, string Host, ushort Port, string VirtualHost, string Username, string Password)
    {
        public static BrokerAddress Parse(string connectionString)
        {
            var uri = new Uri(connectionString);
            if (uri.Scheme is not ("amqp" or "rabbitmq"))
            {
                throw new InvalidOperationException("ConnectionStrings:RabbitMq must be an amqp:// address.");
            }

            var credentials = uri.UserInfo.Split(':', 2);
            var vhost = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
            return new BrokerAddress(
                uri,
                uri.Host,
                uri.IsDefaultPort ? (ushort)5672 : (ushort)uri.Port,
                vhost.Length == 0 ? "/" : vhost,
                credentials[0].Length == 0 ? "guest" : Uri.UnescapeDataString(credentials[0]),
                credentials.Length < 2 ? "guest" : Uri.UnescapeDataString(credentials[1]));
        }
    }
}
