using Helpline.Intake.Telephony;
using Helpline.Intake.Telephony.External;
using Helpline.Intake.Telephony.Twilio;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

internal static partial class TelephonyExtensions
{
    /// <summary>
    /// The telephony provider named by <c>Telephony:Provider</c>. Twilio's settings are bound always but
    /// validated (at start) only when Twilio is the provider, so the simulated default starts without them.
    /// </summary>
    public static IHostApplicationBuilder AddTelephony(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<TelephonyOptions>(TelephonyOptions.Section);
        var twilio = builder.Services.AddOptions<TwilioOptions>().BindConfiguration(TwilioOptions.Section);
        builder.Services.AddSingleton<TwilioVoiceResponses>();
        builder.Services.AddScoped<TelephonyCommands>();
        if (IsTwilio(builder.Configuration))
        {
            twilio.ValidateDataAnnotations().ValidateOnStart();
            builder.Services.AddTransient<TwilioApiBaseHandler>();
            builder.Services.AddHttpClient(TwilioTelephonyProvider.HttpClientName, (services, client) =>
                    client.Timeout = services.GetRequiredService<IOptions<TwilioOptions>>().Value.ApiTimeout)
                .AddHttpMessageHandler<TwilioApiBaseHandler>();
            builder.Services.AddSingleton<ITelephonyProvider, TwilioTelephonyProvider>();
        }
        else if (IsProvider(builder.Configuration, TelephonyOptions.External))
        {
            builder.Services.AddValidatedOptions<ExternalBridgeOptions>(ExternalBridgeOptions.Section);
            builder.Services.AddHttpClient(ExternalTelephonyProvider.HttpClientName, (services, client) =>
                client.Timeout = services.GetRequiredService<IOptions<ExternalBridgeOptions>>().Value.RequestTimeout);
            builder.Services.AddSingleton<ITelephonyProvider, ExternalTelephonyProvider>();
            builder.Services.AddHostedService<ConnectTimeoutService>();
        }
        else
        {
            builder.Services.AddSingleton<ITelephonyProvider, SimulatedTelephonyProvider>();
        }

        return builder;
    }

    /// <summary>Console's commands to Intake, on the queues <c>connect-call</c>, <c>turn-away-call</c>, <c>end-call</c> and <c>call-queue-updated</c>.</summary>
    public static void AddTelephonyConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<EndCallConsumer>();
        bus.AddConsumer<ConnectCallConsumer>();
        bus.AddConsumer<TurnAwayCallConsumer>();
        bus.AddConsumer<CallQueuePositionsConsumer>();
    }

    /// <summary>Twilio's webhooks, served only when Twilio is the provider.</summary>
    public static WebApplication MapTelephony(this WebApplication app)
    {
        if (IsTwilio(app.Configuration))
        {
            app.MapTwilioWebhooks();
        }
        else if (!IsProvider(app.Configuration, TelephonyOptions.External) && !app.Environment.IsDevelopment())
        {
            LogSimulated(app.Logger);
        }

        return app;
    }

    private static bool IsTwilio(IConfiguration configuration) => IsProvider(configuration, TelephonyOptions.Twilio);

    private static bool IsProvider(IConfiguration configuration, string provider) =>
        string.Equals(configuration[$"{TelephonyOptions.Section}:{nameof(TelephonyOptions.Provider)}"], provider, StringComparison.Ordinal);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telephony provider is Simulated: accepted calls connect without a phone network. Set Telephony:Provider=Twilio for real calls.")]
    private static partial void LogSimulated(ILogger logger);
}
