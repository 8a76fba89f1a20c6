using MimeKit;

namespace Helpline.Intake.Tests.Email;

/// <summary>Intake reading a real Dovecot mailbox: storing, threading, loop protection, quarantine.</summary>
public sealed class MailboxReaderTests(EmailFixture fixture) : IClassFixture<EmailFixture>
{
    private static string Marker() => Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task A_message_is_stored_encrypted_and_handed_to_Console_with_its_content()
    {
        var marker = Marker();
        var from = $"jane.{marker}@example.test";
        var message = EmailCorpus.Message(from, $"He follows me {marker}", $"Body {marker}", $"<p>Body <b>{marker}</b></p>");
        var builder = new BodyBuilder { TextBody = $"Body {marker}", HtmlBody = $"<p>Body <b>{marker}</b></p>" };
        builder.Attachments.Add("photo.pdf", "%PDF-1.4 test"u8.ToArray(), new ContentType("image", "png"));
        message.Body = builder.ToMessageBody();
        await fixture.Mailbox.AppendAsync(message);

        var received = await EmailFixture.WaitForAsync(fixture.Published<EmailReceived>(), fixture.SubjectContains(marker), "the EmailReceived");
        Assert.True(received.GetProperty("newConversation").GetBoolean());
        Assert.Equal($"Body {marker}", fixture.Decrypt(received, "encryptedText", EmailFields.Body).Trim());
        Assert.Contains(marker, fixture.Decrypt(received, "encryptedHtml", EmailFields.Html), StringComparison.Ordinal);
        Assert.Contains(from, fixture.Decrypt(received, "encryptedFrom", EmailFields.From), StringComparison.Ordinal);
        var attachment = Assert.Single(received.GetProperty("attachments").EnumerateArray().ToList());
        Assert.Equal("application/pdf", attachment.GetProperty("contentType").GetString());

        var contactId = received.GetProperty("contactId").GetGuid();
        var contact = await EmailFixture.WaitForAsync(fixture.Published<ContactReceived>(), m => m.GetProperty("contactId").GetGuid() == contactId, "the ContactReceived");
        Assert.Equal((int)ContactChannel.Email, contact.GetProperty("channel").GetInt32());
        Assert.Equal(received.GetProperty("senderKey").GetString(), contact.GetProperty("callerKey").GetString());

        // Personal data is nowhere in clear: not in Intake's tables, not in the outbox, not in the logs.
        foreach (var table in new[] { "email_messages", "email_attachments", "email_conversations", "outbox_messages" })
        {
            Assert.Equal(0, await fixture.Database.CountAsync($"SELECT count(*) FROM intake.{table} t WHERE t::text LIKE '%{marker}%'"));
        }

        Assert.Empty(fixture.Intake.Logs.Containing(marker));
    }

    [Fact]
    public async Task The_same_message_delivered_twice_is_stored_once()
    {
        var marker = Marker();
        var raw = TestMailbox.Bytes(EmailCorpus.Message($"twice.{marker}@example.test", $"Twice {marker}", "same message"));
        var withoutId = EmailCorpus.Raw($"""
            From: noid.{marker}@example.test
            To: {EmailCorpus.Helpline}
            Subject: No id {marker}
            Date: Tue, 01 Dec 2026 10:00:00 +0000

            no Message-ID here
            """);
        var before = await fixture.Mailbox.LastUidAsync();
        await fixture.Mailbox.AppendAsync([raw, withoutId, raw, withoutId]);

        await fixture.WaitUntilReadAsync();
        Assert.Equal(2, await fixture.Database.CountAsync($"SELECT count(*) FROM intake.email_messages WHERE uid > {before}"));
        await EmailFixture.WaitForAsync(fixture.Published<EmailReceived>(), fixture.SubjectContains($"No id {marker}"), "the message without a Message-ID");
        await EmailFixture.WaitForAsync(fixture.Published<EmailReceived>(), fixture.SubjectContains($"Twice {marker}"), "the message with a Message-ID");
        Assert.Single(fixture.Published<EmailReceived>().Messages, m => fixture.SubjectContains($"Twice {marker}")(m));
        Assert.Single(fixture.Published<EmailReceived>().Messages, m => fixture.SubjectContains($"No id {marker}")(m));
    }

    [Fact]
    public async Task A_reply_joins_its_thread_by_its_headers_or_by_the_token_even_forwarded_or_retitled()
    {
        var marker = Marker();
        var from = $"thread.{marker}@example.test";
        var first = EmailCorpus.Message(from, $"First {marker}", "first");
        await fixture.Mailbox.AppendAsync(first);
        var started = await EmailFixture.WaitForAsync(fixture.Published<EmailReceived>(), fixture.SubjectContains($"First {marker}"), "the first message");
        var contactId = started.GetProperty("contactId").GetGuid();
        var token = await TokenAsync(contactId);

        // A reply whose subject the sender rewrote: In-Reply-To finds the thread.
        await fixture.Mailbox.AppendAsync(EmailCorpus.Message(from, $"Something else entirely {marker}", "edited subject", inReplyTo: first.MessageId));
        // A forward from another address with no headers to go on: the token in the subject does.
        await fixture.Mailbox.AppendAsync(EmailCorpus.Message($"other.{marker}@example.test", $"Fwd: Re: First {marker} [ref:{token}]", "forwarded"));
        // Only the reply address tag.
        var tagged = EmailCorpus.Message(from, $"Tag only {marker}", "tagged");
        tagged.To.Clear();
        tagged.To.Add(MailboxAddress.Parse($"help+{token}@helpline.test"));
        await fixture.Mailbox.AppendAsync(tagged);

        foreach (var subject in new[] { "Something else entirely", "Fwd: Re: First", "Tag only" })
        {
            var joined = await EmailFixture.WaitForAsync(fixture.Published<EmailReceived>(), fixture.SubjectContains($"{subject} {marker}"), subject);
            Assert.Equal(contactId, joined.GetProperty("contactId").GetGuid());
            Assert.False(joined.GetProperty("newConversation").GetBoolean());
        }

        Assert.Single(fixture.Published<ContactReceived>().Messages, m => m.GetProperty("contactId").GetGuid() == contactId);
    }

    [Fact]
    public async Task An_auto_reply_a_bounce_and_list_mail_are_stored_marked_automatic_and_never_queued()
    {
        var marker = Marker();
        var from = $"auto.{marker}@example.test";
        var first = EmailCorpus.Message(from, $"Question {marker}", "question");
        await fixture.Mailbox.AppendAsync(first);
        var started = await EmailFixture.WaitForAsync(fixture.Published<EmailReceived>(), fixture.SubjectContains($"Question {marker}"), "the first message");
        var contactId = started.GetProperty("contactId").GetGuid();

        var list = EmailCorpus.Message($"list.{marker}@example.test", $"Newsletter {marker}", "news");
        list.Headers.Add("Precedence", "bulk");
        var unthreadedAuto = EmailCorpus.AutoReply($"away.{marker}@example.test");
        await fixture.Mailbox.AppendAsync(
            [TestMailbox.Bytes(EmailCorpus.AutoReply(from, first.MessageId)), EmailCorpus.Bounce(first.MessageId!), TestMailbox.Bytes(list), TestMailbox.Bytes(unthreadedAuto)]);
        await fixture.WaitUntilReadAsync();
        await Eventually.WaitAsync(
            () => Task.FromResult(fixture.Published<EmailReceived>().Messages.Count(m => m.GetProperty("contactId").GetGuid() == contactId)),
            n => n == 3, TimeSpan.FromSeconds(30), "the threaded automatic messages to be published");

        // The threaded ones reach the conversation, marked, without reopening or queuing anything.
        var automatic = fixture.Published<EmailReceived>().Messages.Where(m => m.GetProperty("contactId").GetGuid() == contactId && m.GetProperty("automatic").ValueKind == JsonValueKind.Number).ToList();
        Assert.Equal(
            new[] { (int)AutomaticReason.AutoSubmitted, (int)AutomaticReason.DeliveryReport }.Order(),
            automatic.Select(m => m.GetProperty("automatic").GetInt32()).Order());
        Assert.Single(fixture.Published<ContactReceived>().Messages, m => m.GetProperty("contactId").GetGuid() == contactId);
        // The unthreaded ones start no conversation at all, but are stored.
        Assert.DoesNotContain(fixture.Published<EmailReceived>().Messages, m => fixture.SubjectContains($"Newsletter {marker}")(m));
        Assert.Equal(2, await fixture.Database.CountAsync("SELECT count(*) FROM intake.email_messages WHERE automatic IS NOT NULL AND conversation_id IS NULL"));
    }

    [Fact]
    public async Task Hostile_and_broken_mail_is_quarantined_with_its_reason_and_the_reader_goes_on()
    {
        var marker = Marker();
        var corpus = EmailCorpus.Broken($"hostile.{marker}@example.test", EmailFixture.MaxMessageBytes);
        var before = fixture.Published<EmailQuarantined>().Messages.Count;
        await fixture.Mailbox.AppendAsync(corpus.Select(c => c.Raw));
        var after = EmailCorpus.Message($"fine.{marker}@example.test", $"Fine {marker}", "an ordinary message after the hostile ones");
        await fixture.Mailbox.AppendAsync(after);

        await EmailFixture.WaitForAsync(fixture.Published<EmailReceived>(), fixture.SubjectContains($"Fine {marker}"), "the ordinary message after the hostile ones");
        var quarantined = await Eventually.WaitAsync(
            () => Task.FromResult(fixture.Published<EmailQuarantined>().Messages.Skip(before).ToList()), q => q.Count >= corpus.Count, TimeSpan.FromSeconds(30), "the corpus quarantined");
        Assert.Equal(corpus.Count, quarantined.Count);
        foreach (var (name, raw, reason) in corpus)
        {
            var subject = SubjectOf(raw);
            var held = Assert.Single(quarantined, q => SubjectOf(q) == subject);
            Assert.True(held.GetProperty("reason").GetString()!.Contains(reason, StringComparison.OrdinalIgnoreCase), $"{name}: {held.GetProperty("reason")}");
        }

        Assert.Empty(fixture.Intake.Logs.Containing(marker));
    }

    [Fact]
    public async Task A_released_message_reaches_a_conversation_and_a_discarded_one_loses_its_content()
    {
        var marker = Marker();
        var corpus = EmailCorpus.Broken($"release.{marker}@example.test", EmailFixture.MaxMessageBytes);
        var before = fixture.Published<EmailQuarantined>().Messages.Count;
        await fixture.Mailbox.AppendAsync([corpus[0].Raw, corpus[3].Raw]);
        var held = await Eventually.WaitAsync(() => Task.FromResult(fixture.Published<EmailQuarantined>().Messages.Skip(before).ToList()), m => m.Count == 2, TimeSpan.FromSeconds(30), "two quarantined");
        var release = held.Single(q => SubjectOf(q) == SubjectOf(corpus[0].Raw)).GetProperty("emailId").GetGuid();
        var discard = held.Single(q => SubjectOf(q) == SubjectOf(corpus[3].Raw)).GetProperty("emailId").GetGuid();

        await fixture.PublishAsync(new ReleaseQuarantinedEmail { EmailId = release, SupervisorId = Guid.NewGuid(), At = DateTimeOffset.UtcNow });
        await fixture.PublishAsync(new DiscardQuarantinedEmail { EmailId = discard, SupervisorId = Guid.NewGuid(), At = DateTimeOffset.UtcNow });
        var delivered = await EmailFixture.WaitForAsync(fixture.Published<EmailReceived>(), m => m.TryGetProperty("releasedFromQuarantine", out var r) && r.ValueKind == JsonValueKind.String && r.GetGuid() == release, "the released message");
        Assert.Contains("never ends", fixture.Decrypt(delivered, "encryptedText", EmailFields.Body), StringComparison.Ordinal);
        await Eventually.WaitAsync(
            () => fixture.Database.CountAsync($"SELECT count(*) FROM intake.email_messages WHERE id = '{discard}' AND quarantine_resolution = 'Discarded' AND encrypted_raw IS NULL AND encrypted_subject IS NULL"),
            n => n == 1, TimeSpan.FromSeconds(30), "the discarded message's content erased");
    }

    /// <summary>A corpus message's subject, as its quarantine record carries it.</summary>
    private static string SubjectOf(byte[] raw)
    {
        using var stream = new MemoryStream(raw);
        return new MimeKit.MimeParser(stream).ParseHeaders()[HeaderId.Subject]?.Trim() ?? "";
    }

    private string SubjectOf(JsonElement quarantined) =>
        quarantined.GetProperty("encryptedSubject").ValueKind == JsonValueKind.String ? fixture.Decrypt(quarantined, "encryptedSubject", EmailFields.Subject) : "";

    private async Task<string> TokenAsync(Guid contactId)
    {
        await using var connection = new Npgsql.NpgsqlConnection(fixture.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand($"SELECT token FROM intake.email_conversations WHERE id = '{contactId}'", connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}

/// <summary>One sender's burst joins one conversation instead of flooding the queue.</summary>
public sealed class BurstTests(BurstTests.Fixture fixture) : IClassFixture<BurstTests.Fixture>
{
    public sealed class Fixture : EmailFixture
    {
        protected override void Configure(Dictionary<string, string?> settings) => settings["Email:Burst:MaxConversations"] = "2";
    }

    [Fact]
    public async Task A_burst_from_one_sender_joins_the_latest_conversation()
    {
        var sender = $"burst.{Guid.NewGuid():N}@example.test";
        await fixture.Mailbox.AppendAsync(Enumerable.Range(0, 6).Select(i => TestMailbox.Bytes(EmailCorpus.Message(sender, $"Burst {i}", $"message {i}"))));

        var received = await Eventually.WaitAsync(() => Task.FromResult(fixture.Published<EmailReceived>().Messages.ToList()), m => m.Count == 6, TimeSpan.FromSeconds(30), "six messages");
        Assert.Equal(2, received.Select(m => m.GetProperty("contactId").GetGuid()).Distinct().Count());
        Assert.Equal(2, fixture.Published<ContactReceived>().Messages.Count);
        Assert.Equal([1, 5], received.GroupBy(m => m.GetProperty("contactId").GetGuid()).Select(g => g.Count()).Order());
    }
}
