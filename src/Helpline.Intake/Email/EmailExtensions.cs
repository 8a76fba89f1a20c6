using Helpline.Intake.Email;
using MassTransit;

namespace Microsoft.Extensions.Hosting;

internal static class EmailExtensions
{
    /// <summary>
    /// The email channel: the mailbox reader when <c>Email:Imap:Host</c> is set, the SMTP sender when
    /// <c>Email:Smtp:Host</c> is; their settings are validated at start only then. Limits and the burst
    /// rule always apply (releases are read with them too).
    /// </summary>
    public static IHostApplicationBuilder AddEmail(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<EmailLimits>().BindConfiguration(EmailLimits.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<BurstOptions>().BindConfiguration(BurstOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var imap = builder.Services.AddOptions<ImapOptions>().BindConfiguration(ImapOptions.Section);
        var smtp = builder.Services.AddOptions<SmtpOptions>().BindConfiguration(SmtpOptions.Section);
        builder.Services.AddSingleton<EmailMetrics>();
        builder.Services.AddSingleton<EmailSendSignal>();
        builder.Services.AddScoped<EmailIngestor>();
        builder.Services.AddScoped<EmailComposer>();
        builder.Services.AddScoped<ReplyOpenTime>();

        if (!string.IsNullOrWhiteSpace(builder.Configuration[$"{ImapOptions.Section}:{nameof(ImapOptions.Host)}"]))
        {
            imap.ValidateDataAnnotations().Validate(o => HasSecret(o), "Email:Imap needs Secret or SecretFile (a password or an XOAUTH2 token).").ValidateOnStart();
            builder.Services.AddHostedService<MailboxReader>();
        }

        if (!string.IsNullOrWhiteSpace(builder.Configuration[$"{SmtpOptions.Section}:{nameof(SmtpOptions.Host)}"]))
        {
            smtp.ValidateDataAnnotations().Validate(o => HasSecret(o), "Email:Smtp needs Secret or SecretFile unless Authentication is None.").ValidateOnStart();
            builder.Services.AddHostedService<EmailSender>();
        }

        return builder;
    }

    /// <summary>Console's commands about email, on the queues <c>send-email</c>, <c>release-quarantined-email</c> and <c>discard-quarantined-email</c>.</summary>
    public static void AddEmailConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<SendEmailConsumer>();
        bus.AddConsumer<ReleaseQuarantinedEmailConsumer>();
        bus.AddConsumer<DiscardQuarantinedEmailConsumer>();
    }

    private static bool HasSecret(MailServerOptions options) =>
        options.Authentication == MailAuthentication.None || !string.IsNullOrEmpty(options.Secret) || !string.IsNullOrEmpty(options.SecretFile);
}
