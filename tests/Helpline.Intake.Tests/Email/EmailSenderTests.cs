using Helpline.Intake.Hours;
using Helpline.ServiceDefaults.Security;

namespace Helpline.Intake.Tests.Email;

/// <summary>Console's SendEmail going out over SMTP to the real receiver, with the outcome reported.</summary>
public sealed class EmailSenderTests(EmailFixture fixture) : IClassFixture<EmailFixture>
{
    private readonly TestSmtp _smtp = TestSmtp.Shared();

    internal static SendEmail Command(FieldEncryption encryption, EmailPurpose purpose, Guid contactId, string subject, string body, string? to = null)
    {
        var id = Guid.NewGuid();
        return new SendEmail
        {
            EmailId = id,
            Purpose = purpose,
            ContactId = contactId,
            To = to,
            EncryptedSubject = encryption.Encrypt(subject, EmailFields.AssociatedData(id, EmailFields.Subject), FieldPurpose.Shared),
            EncryptedBody = encryption.Encrypt(body, EmailFields.AssociatedData(id, EmailFields.Body), FieldPurpose.Shared),
            RequestedAt = DateTimeOffset.UtcNow,
        };
    }

    [Fact]
    public async Task A_reply_goes_to_the_sender_with_its_thread_headers_and_the_answer_to_it_joins_the_conversation()
    {
        var marker = Guid.NewGuid().ToString("N")[..12];
        var from = $"writer.{marker}@example.test";
        var first = EmailCorpus.Message(from, $"Help {marker}", "please help");
        var threadIndex = new byte[22];
        threadIndex[0] = 1;
        Random.Shared.NextBytes(threadIndex.AsSpan(1));
        first.Headers.Add("Thread-Index", Convert.ToBase64String(threadIndex));
        await fixture.Mailbox.AppendAsync(first);
        var received = await EmailFixture.WaitForAsync(fixture.Published<EmailReceived>(), fixture.SubjectContains($"Help {marker}"), "the first message");
        var contactId = received.GetProperty("contactId").GetGuid();

        var command = Command(fixture.Encryption, EmailPurpose.Reply, contactId, $"Re: Help {marker}", $"We can help {marker}.");
        await fixture.PublishAsync(command);
        await fixture.PublishAsync(command);

        var sent = await EmailFixture.WaitForAsync(fixture.Published<EmailSent>(), m => m.GetProperty("emailId").GetGuid() == command.EmailId, "EmailSent");
        var messageId = sent.GetProperty("messageId").GetString()!;
        // The reply carries its open time since the first message, by the published hours (ReplyOpenTimeTests has fixed instants).
        var published = new OpeningHoursOptions();
        var expected = new OpeningHours(published.ToWeeklyHours(), published.ToTimeZone(), OpeningHoursService.IsBankHoliday, [])
            .OpenTimeBetween(received.GetProperty("receivedAt").GetDateTimeOffset(), sent.GetProperty("at").GetDateTimeOffset());
        Assert.Equal(expected.TotalSeconds, sent.GetProperty("openSecondsSinceFirstMessage").GetDouble(), 3);
        var reply = Assert.Single(await Eventually.WaitAsync(() => Task.FromResult(_smtp.Received(m => m.MessageId == messageId)), m => m.Count > 0, TimeSpan.FromSeconds(10), "the reply at the receiver"));
        Assert.Equal(from, reply.To.Mailboxes.Single().Address);
        Assert.Equal(first.MessageId, reply.InReplyTo);
        Assert.Equal([first.MessageId!], reply.References);
        Assert.Matches(@"\[ref:[a-z2-7]{10}\]$", reply.Subject);
        var token = reply.Subject![^11..^1];
        Assert.Equal($"help+{token}@helpline.test", reply.ReplyTo.Mailboxes.Single().Address);
        // Outlook's child block: the parent's 22 bytes and 5 more.
        var replyIndex = Convert.FromBase64String(reply.Headers["Thread-Index"]!);
        Assert.Equal(27, replyIndex.Length);
        Assert.Equal(threadIndex, replyIndex[..22]);
        Assert.Contains($"We can help {marker}.", reply.TextBody, StringComparison.Ordinal);
        Assert.Single(fixture.Published<EmailSent>().Messages, m => m.GetProperty("emailId").GetGuid() == command.EmailId);

        // The sender answers our reply from a client that keeps only In-Reply-To: it joins the same conversation.
        await fixture.Mailbox.AppendAsync(EmailCorpus.Message(from, $"Thanks {marker}", "thank you", inReplyTo: messageId));
        var answer = await EmailFixture.WaitForAsync(fixture.Published<EmailReceived>(), fixture.SubjectContains($"Thanks {marker}"), "the answer to our reply");
        Assert.Equal(contactId, answer.GetProperty("contactId").GetGuid());
    }

    [Fact]
    public async Task A_refused_recipient_is_a_permanent_failure_reported_without_the_address()
    {
        var command = Command(fixture.Encryption, EmailPurpose.Referral, Guid.NewGuid(), "Referral", "details", to: "refuse-referrals@service.test");
        await fixture.PublishAsync(command);

        var failed = await EmailFixture.WaitForAsync(fixture.Published<EmailSendFailed>(), m => m.GetProperty("emailId").GetGuid() == command.EmailId, "EmailSendFailed");
        Assert.True(failed.GetProperty("permanent").GetBoolean());
        Assert.Contains("550", failed.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("refuse-referrals", failed.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reply_to_a_conversation_Intake_does_not_know_fails_for_good()
    {
        var command = Command(fixture.Encryption, EmailPurpose.Reply, Guid.NewGuid(), "Re: nothing", "to nobody");
        await fixture.PublishAsync(command);

        var failed = await EmailFixture.WaitForAsync(fixture.Published<EmailSendFailed>(), m => m.GetProperty("emailId").GetGuid() == command.EmailId, "EmailSendFailed");
        Assert.True(failed.GetProperty("permanent").GetBoolean());
    }
}

/// <summary>The SMTP server is down when the email is asked for, then comes up: the send is retried and succeeds once.</summary>
public sealed class EmailSendRetryTests(EmailSendRetryTests.Fixture fixture) : IClassFixture<EmailSendRetryTests.Fixture>
{
    public sealed class Fixture : EmailFixture
    {
        /// <summary>Where Intake sends: nothing listens there until the test starts its receiver.</summary>
        public System.Net.Sockets.Socket SmtpPort { get; } = TestSmtp.HoldPort();

        protected override Dictionary<string, string?> SmtpSettings()
        {
            var settings = TestSmtp.Shared().IntakeSettings();
            settings["Email:Smtp:Port"] = ((System.Net.IPEndPoint)SmtpPort.LocalEndPoint!).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return settings;
        }
    }

    [Fact]
    public async Task A_send_that_fails_while_the_server_is_down_is_retried_and_sent_once_when_it_is_back()
    {
        var command = EmailSenderTests.Command(fixture.Encryption, EmailPurpose.Referral, Guid.NewGuid(), "Referral", "a referral", to: "intake@service.test");
        await fixture.PublishAsync(command);

        var failed = await EmailFixture.WaitForAsync(fixture.Published<EmailSendFailed>(), m => m.GetProperty("emailId").GetGuid() == command.EmailId, "a failed attempt");
        Assert.False(failed.GetProperty("permanent").GetBoolean());
        Assert.Contains("could not be reached", failed.GetProperty("reason").GetString(), StringComparison.Ordinal);

        using var smtp = await TestSmtp.StartAsync(fixture.SmtpPort);
        var sent = await EmailFixture.WaitForAsync(fixture.Published<EmailSent>(), m => m.GetProperty("emailId").GetGuid() == command.EmailId, "EmailSent once the server is up");
        var messageId = sent.GetProperty("messageId").GetString();
        var delivered = await Eventually.WaitAsync(() => Task.FromResult(smtp.Received(m => m.MessageId == messageId)), m => m.Count > 0, TimeSpan.FromSeconds(10), "the referral at the receiver");
        Assert.Equal("intake@service.test", Assert.Single(delivered).To.Mailboxes.Single().Address);
        Assert.Equal($"{command.EmailId:N}@helpline.test", messageId);
    }
}
