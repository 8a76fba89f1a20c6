using Helpline.Contracts;
using MassTransit;

namespace Helpline.Console.Referrals;

/// <summary>Intake's reports on referral emails (replies' reports are the email feature's): sent, or failed and retried or given up.</summary>
internal sealed class ReferralEmailConsumer(ReferralDesk desk) : IConsumer<EmailSent>, IConsumer<EmailSendFailed>
{
    public async Task Consume(ConsumeContext<EmailSent> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var m = context.Message;
        if (m.Purpose == EmailPurpose.Referral)
        {
            await desk.RecordEmailAsync(m.EmailId, sent: true, m.MessageId, permanent: false, failure: null, m.At, context.CancellationToken);
        }
    }

    public async Task Consume(ConsumeContext<EmailSendFailed> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var m = context.Message;
        if (m.Purpose == EmailPurpose.Referral)
        {
            var failure = $"attempt {m.Attempt}{(m.Permanent ? ", given up" : "")}: {m.Reason}";
            await desk.RecordEmailAsync(m.EmailId, sent: false, null, m.Permanent, failure.Length > ReferralVocabulary.MaxReasonLength ? failure[..ReferralVocabulary.MaxReasonLength] : failure, m.At, context.CancellationToken);
        }
    }
}

/// <summary>A database that is briefly unreachable is waited out with the message still in its queue.</summary>
internal sealed class ReferralEmailConsumerDefinition : ConsumerDefinition<ReferralEmailConsumer>
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<ReferralEmailConsumer> consumerConfigurator, IRegistrationContext context)
    {
        ArgumentNullException.ThrowIfNull(endpointConfigurator);
        endpointConfigurator.UseMessageRetry(retry => retry.Exponential(20, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1)));
    }
}
