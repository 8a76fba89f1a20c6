using Helpline.ServiceDefaults.Outbox;

namespace Helpline.Intake.Tests.Outbox;

/// <summary>Which outbox rows the dispatcher publishes one after another, and which side by side.</summary>
public sealed class OutboxStreamsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 14, 0, 0, TimeSpan.Zero);

    private static string KeyOf(OutboxStreams streams, object message) => streams.Of(OutboxMessage.Publish(message, Now));

    [Fact]
    public void Messages_about_one_contact_share_a_key_whatever_their_type_and_other_contacts_do_not()
    {
        var streams = new OutboxStreams([]);
        var call = Guid.NewGuid();
        var other = Guid.NewGuid();

        var received = KeyOf(streams, new ContactReceived { ContactId = call, Channel = ContactChannel.Call, ProviderReference = "a", ReceivedAt = Now });
        var hungUp = KeyOf(streams, new CallerHungUp { ContactId = call, At = Now });
        var otherReceived = KeyOf(streams, new ContactReceived { ContactId = other, Channel = ContactChannel.Call, ProviderReference = "b", ReceivedAt = Now });

        Assert.Equal(received, hungUp);
        Assert.NotEqual(received, otherReceived);
    }

    [Fact]
    public void An_independent_type_is_ordered_apart_from_the_others_and_messages_without_a_contact_share_one_key()
    {
        var streams = new OutboxStreams([typeof(CallQueuePositions)]);
        var call = Guid.NewGuid();

        var first = KeyOf(streams, new CallQueuePositions { Calls = [new() { ContactId = call, Position = 1 }], At = Now });
        var second = KeyOf(streams, new CallQueuePositions { Calls = [], At = Now.AddSeconds(1) });
        var hungUp = KeyOf(streams, new CallerHungUp { ContactId = call, At = Now });

        Assert.Equal(first, second);
        Assert.NotEqual(first, hungUp);
    }
}
