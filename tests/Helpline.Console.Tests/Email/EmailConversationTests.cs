using Helpline.Console.Tests.Records;
using Helpline.ServiceDefaults.Security;
using Microsoft.Extensions.Options;

namespace Helpline.Console.Tests.Email;

/// <summary>An email conversation in Console: from Intake's messages to the advisor, the reply back to Intake, safety, quarantine.</summary>
public sealed class EmailConversationTests
{
    private static readonly FieldEncryption Encryption = new(Options.Create(new FieldEncryptionOptions { Key = HelplineSettings.FieldEncryptionKey }));

    /// <summary>Announces a new conversation's first message as Intake does.</summary>
    internal static async Task<(Guid ContactId, Guid EmailId, Guid AttachmentId)> EmailAsync(ConsoleRig rig, string subject, string text, string? html = null, Guid? contactId = null)
    {
        var conversation = contactId ?? Guid.NewGuid();
        var emailId = Guid.NewGuid();
        var attachmentId = Guid.NewGuid();
        if (contactId is null)
        {
            await rig.PublishAsync(new ContactReceived { ContactId = conversation, Channel = ContactChannel.Email, ProviderReference = $"m:{emailId:N}", CallerKey = new string('b', 64), ReceivedAt = DateTimeOffset.UtcNow });
        }

        await rig.PublishAsync(new EmailReceived
        {
            EmailId = emailId,
            ContactId = conversation,
            NewConversation = contactId is null,
            SenderKey = new string('b', 64),
            EncryptedFrom = Encryption.Encrypt("Jane <jane@example.test>", EmailFields.AssociatedData(emailId, EmailFields.From), FieldPurpose.Shared),
            EncryptedSubject = Encryption.Encrypt(subject, EmailFields.AssociatedData(emailId, EmailFields.Subject), FieldPurpose.Shared),
            EncryptedText = Encryption.Encrypt(text, EmailFields.AssociatedData(emailId, EmailFields.Body), FieldPurpose.Shared),
            EncryptedHtml = html is null ? null : Encryption.Encrypt(html, EmailFields.AssociatedData(emailId, EmailFields.Html), FieldPurpose.Shared),
            Attachments =
            [
                new EmailAttachment
                {
                    AttachmentId = attachmentId,
                    EncryptedFileName = Encryption.Encrypt("evidence.html", EmailFields.AttachmentName(emailId, attachmentId), FieldPurpose.Shared),
                    ContentType = "text/html",
                    Size = 27,
                    EncryptedContent = Encryption.EncryptBytes("<script>alert(1)</script>\r\n"u8, EmailFields.AttachmentContent(emailId, attachmentId), FieldPurpose.Shared),
                },
            ],
            ReceivedAt = DateTimeOffset.UtcNow,
        });
        return (conversation, emailId, attachmentId);
    }

    [Fact]
    public async Task An_email_reaches_its_advisor_who_reads_it_safely_and_replies_through_Intake()
    {
        await using var rig = await ConsoleRig.StartAsync();
        await using var sendEmail = await MessageProbe.CreateAsync(rig.VirtualHost.ConnectionString, typeof(SendEmail));
        var advisor = await rig.AvailableAdvisorAsync("emma");
        var (contactId, emailId, attachmentId) = await EmailAsync(rig, "Help please", "He keeps turning up.", "<p onclick=\"x()\">Hi<script>alert(1)</script><img src=\"https://tracker.example/p.gif\"></p>");
        await RecordKit.AcceptAsync(advisor, contactId);
        using var http = await RecordKit.ClientForAsync(rig, "emma", "Advisor");

        var conversation = await Eventually.WaitAsync(() => http.GetFromJsonAsync<JsonElement>($"/api/emails/{contactId}"), c => c.GetProperty("messages").GetArrayLength() == 1, ConsoleRig.Timeout, "the message in the conversation");
        var message = conversation.GetProperty("messages")[0];
        Assert.Equal("He keeps turning up.", message.GetProperty("text").GetString());
        Assert.Equal("Jane <jane@example.test>", message.GetProperty("from").GetString());
        Assert.True(message.GetProperty("hasHtml").GetBoolean());
        var attachment = message.GetProperty("attachments")[0];
        Assert.Equal("text/html", attachment.GetProperty("contentType").GetString());
        Assert.Equal(27, attachment.GetProperty("size").GetInt64());

        using var page = await http.GetAsync($"/api/emails/{contactId}/messages/{emailId}/html");
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("sandbox", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onclick", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("tracker.example", html, StringComparison.OrdinalIgnoreCase);

        using var download = await http.GetAsync($"/api/emails/{contactId}/attachments/{attachmentId}");
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("application/octet-stream", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());

        Assert.Equal(HttpStatusCode.NoContent, (await http.PutAsJsonAsync($"/api/emails/{contactId}/draft", new { body = "Draft so far" })).StatusCode);
        Assert.Equal("Draft so far", (await http.GetFromJsonAsync<JsonElement>($"/api/emails/{contactId}")).GetProperty("draft").GetString());

        using var sent = await http.PostAsJsonAsync($"/api/emails/{contactId}/replies", new { body = "You can call us on 0808 802 0300." });
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        var replyId = (await sent.JsonAsync()).GetProperty("emailId").GetGuid();
        var command = await Eventually.WaitAsync(() => Task.FromResult(sendEmail.Messages.Where(m => m.GetProperty("emailId").GetGuid() == replyId).ToList()), m => m.Count == 1, ConsoleRig.Timeout, "SendEmail");
        Assert.Equal("You can call us on 0808 802 0300.", Encryption.Decrypt(command[0].GetProperty("encryptedBody").GetString()!, EmailFields.AssociatedData(replyId, EmailFields.Body)));
        Assert.Equal("Re: Help please", Encryption.Decrypt(command[0].GetProperty("encryptedSubject").GetString()!, EmailFields.AssociatedData(replyId, EmailFields.Subject)));
        Assert.Equal((int)EmailPurpose.Reply, command[0].GetProperty("purpose").GetInt32());
        Assert.Equal(JsonValueKind.Null, (await http.GetFromJsonAsync<JsonElement>($"/api/emails/{contactId}")).GetProperty("draft").ValueKind);

        await rig.PublishAsync(new EmailSent { EmailId = replyId, ContactId = contactId, Purpose = EmailPurpose.Reply, MessageId = $"{replyId:N}@helpline.test", At = DateTimeOffset.UtcNow });
        await Eventually.WaitAsync(() => rig.ContactEventsAsync(contactId, "ReplySent"), n => n == 1, ConsoleRig.Timeout, "ReplySent recorded");
        Assert.Equal(1, await rig.ContactEventsAsync(contactId, "EmailReceived"));
        Assert.True(await rig.Database.CountAsync($"SELECT count(*) FROM console.audit_entries WHERE contact_id = '{contactId}' AND action IN ('EmailConversationRead', 'EmailHtmlRead', 'EmailAttachmentDownloaded', 'EmailReplySent')") >= 4);
    }

    [Fact]
    public async Task A_closed_conversation_reopens_with_the_senders_next_message_and_goes_back_to_its_owner()
    {
        await using var rig = await ConsoleRig.StartAsync();
        var owner = await rig.AvailableAdvisorAsync("olive");
        var (contactId, _, _) = await EmailAsync(rig, "First", "first message");
        await RecordKit.AcceptAsync(owner, contactId);
        await owner.Connection.InvokeAsync("CompleteContact", contactId);
        await owner.WaitForAsync("ContactEnded", e => e.GetProperty("contactId").GetGuid() == contactId, ConsoleRig.Timeout);
        var other = await rig.AvailableAdvisorAsync("oscar");

        await EmailAsync(rig, "Re: First", "another message", contactId: contactId);

        await Eventually.WaitAsync(() => Task.FromResult(owner.OffersFor(contactId)), n => n == 2, ConsoleRig.Timeout, "the owner offered the reopened conversation");
        Assert.Equal(0, other.OffersFor(contactId));
        Assert.Equal(1, await rig.ContactEventsAsync(contactId, "Reopened"));
        Assert.Equal(2, await rig.ContactEventsAsync(contactId, "EmailReceived"));
        Assert.Equal(1, await rig.Database.CountAsync($"SELECT count(*) FROM console.contacts WHERE id = '{contactId}'"));
    }

    [Fact]
    public async Task A_reply_is_refused_server_side_when_the_callers_record_says_email_is_unsafe()
    {
        await using var rig = await ConsoleRig.StartAsync();
        await using var sendEmail = await MessageProbe.CreateAsync(rig.VirtualHost.ConnectionString, typeof(SendEmail));
        var advisor = await rig.AvailableAdvisorAsync("uma");
        var (contactId, _, _) = await EmailAsync(rig, "Careful", "he reads my email");
        await RecordKit.AcceptAsync(advisor, contactId);
        using var http = await RecordKit.ClientForAsync(rig, "uma", "Advisor");
        var draft = RecordKit.FullDraft();
        var record = JsonSerializer.SerializeToNode(draft)!.AsObject();
        record["safety"]!["safeToEmail"] = false;
        record["safety"]!["email"] = null;
        Assert.Equal(HttpStatusCode.OK, (await http.PutAsync($"/api/contacts/{contactId}/record", record, "\"0\"")).StatusCode);

        using var refused = await http.PostAsJsonAsync($"/api/emails/{contactId}/replies", new { body = "This must not go." });

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await rig.Database.CountAsync($"SELECT count(*) FROM console.email_messages WHERE contact_id = '{contactId}' AND direction = 'Outbound'"));
        Assert.Equal(0, await rig.Database.CountAsync("SELECT count(*) FROM console.outbox_messages WHERE message_type LIKE 'Helpline.Contracts.SendEmail%'"));
        Assert.Empty(sendEmail.Messages);
    }

    [Fact]
    public async Task A_supervisor_lists_quarantined_mail_and_releases_or_discards_it_with_an_audit_entry()
    {
        await using var rig = await ConsoleRig.StartAsync();
        await using var released = await MessageProbe.CreateAsync(rig.VirtualHost.ConnectionString, typeof(ReleaseQuarantinedEmail));
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());
        foreach (var id in new[] { first, second })
        {
            await rig.PublishAsync(new EmailQuarantined
            {
                EmailId = id,
                Reason = "A multipart is not closed (its end boundary is missing).",
                Size = 1234,
                EncryptedSubject = Encryption.Encrypt("broken", EmailFields.AssociatedData(id, EmailFields.Subject), FieldPurpose.Shared),
                ReceivedAt = DateTimeOffset.UtcNow,
            });
        }

        using var supervisor = await RecordKit.ClientForAsync(rig, "sam", "Supervisor");
        var held = await Eventually.WaitAsync(() => supervisor.GetFromJsonAsync<JsonElement>("/api/supervisor/quarantine"), q => q.GetArrayLength() == 2, ConsoleRig.Timeout, "two held");
        Assert.Equal("broken", held[0].GetProperty("subject").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await supervisor.PostAsync($"/api/supervisor/quarantine/{first}/release", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await supervisor.PostAsync($"/api/supervisor/quarantine/{second}/discard", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await supervisor.PostAsync($"/api/supervisor/quarantine/{first}/discard", null)).StatusCode);

        await Eventually.WaitAsync(() => Task.FromResult(released.Messages.Count), n => n == 1, ConsoleRig.Timeout, "ReleaseQuarantinedEmail");
        Assert.Equal(0, (await supervisor.GetFromJsonAsync<JsonElement>("/api/supervisor/quarantine")).GetArrayLength());
        Assert.Equal(2, await rig.Database.CountAsync("SELECT count(*) FROM console.audit_entries WHERE action IN ('QuarantineReleased', 'QuarantineDiscarded')"));
    }
}
