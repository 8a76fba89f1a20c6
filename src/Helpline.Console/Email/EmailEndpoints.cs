using System.Security.Claims;
using Helpline.Console.Audit;
using Helpline.Console.Data;
using Helpline.Console.Records;
using Helpline.Contracts;
using Helpline.ServiceDefaults.Outbox;
using Helpline.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Helpline.Console.Email;

internal sealed record AttachmentView(Guid AttachmentId, string FileName, string ContentType, long Size);

internal sealed record MessageView(
    Guid EmailId,
    string Direction,
    string? Automatic,
    string? From,
    string Subject,
    string? Text,
    bool HasHtml,
    DateTimeOffset At,
    IReadOnlyList<AttachmentView> Attachments,
    string? State,
    string? Failure,
    int Attempts,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? SentAt);

internal sealed record ConversationView(Guid ContactId, string Status, bool SafeToEmail, IReadOnlyList<MessageView> Messages, string? Draft);

internal sealed record ReplyRequest(string? Subject, string? Body);

internal sealed record DraftRequest(string? Body);

internal sealed record ReplyAccepted(Guid EmailId);

internal sealed record TemplateView(Guid Id, string Name, string Body);

internal sealed record TemplateRequest(string? Name, string? Body);

internal sealed record QuarantineView(Guid EmailId, string Reason, long Size, string? From, string? Subject, DateTimeOffset ReceivedAt);

/// <summary>
/// The email conversation (docs/email.md): read by the assigned advisor or a supervisor (audited), its
/// HTML in a sandboxed page of its own, attachments as downloads, replies and their draft by the assigned
/// advisor; templates (admins manage them); the quarantine (supervisors).
/// </summary>
internal static class EmailEndpoints
{
    public static async Task<Results<Ok<ConversationView>, NotFound>> GetConversation(
        Guid contactId, ClaimsPrincipal user, ContactRecords records, ConsoleDbContext db, FieldEncryption encryption, AuditTrail audit, CancellationToken cancellationToken)
    {
        if (await records.FindAsync(contactId, user, write: false, cancellationToken) is not { Channel: ContactChannel.Email } contact)
        {
            return TypedResults.NotFound();
        }

        var messages = await db.EmailMessages.AsNoTracking().Where(m => m.ContactId == contactId).OrderBy(m => m.At).ToListAsync(cancellationToken);
        var attachments = (await db.EmailAttachments.AsNoTracking().Where(a => a.ContactId == contactId)
                .Select(a => new { a.Id, a.EmailId, a.EncryptedFileName, a.ContentType, a.Size })
                .ToListAsync(cancellationToken))
            .ToLookup(a => a.EmailId);
        var userId = ContactRecords.UserId(user);
        var draft = await db.ReplyDrafts.AsNoTracking().SingleOrDefaultAsync(d => d.ContactId == contactId && d.AdvisorId == userId, cancellationToken);
        var views = messages.ConvertAll(m => new MessageView(
            m.Id,
            m.Direction.ToString(),
            m.Automatic?.ToString(),
            m.EncryptedFrom is null ? null : Decrypt(encryption, m.Id, EmailFields.From, m.EncryptedFrom),
            Decrypt(encryption, m.Id, EmailFields.Subject, m.EncryptedSubject),
            m.EncryptedText is null ? null : Decrypt(encryption, m.Id, EmailFields.Body, m.EncryptedText),
            m.EncryptedHtml is not null,
            m.At,
            attachments[m.Id].Select(a => new AttachmentView(a.Id, encryption.Decrypt(a.EncryptedFileName, EmailFields.AttachmentName(m.Id, a.Id)), a.ContentType, a.Size)).ToList(),
            m.State?.ToString(),
            m.Failure,
            m.Attempts,
            m.NextAttemptAt,
            m.SentAt));
        await audit.RecordAsync("EmailConversationRead", contactId, cancellationToken: cancellationToken);
        return TypedResults.Ok(new ConversationView(
            contactId,
            contact.Status.ToString(),
            await SafeToEmailAsync(db, contactId, cancellationToken),
            views,
            draft is null ? null : encryption.Decrypt(draft.EncryptedBody, ReplyDraft.AssociatedData(contactId, userId))));
    }

    /// <summary>The message's HTML, sanitised, as a page of its own with a policy that lets nothing load or run (shown in a sandboxed frame).</summary>
    public static async Task<Results<ContentHttpResult, NotFound>> GetHtml(
        Guid contactId, Guid emailId, ClaimsPrincipal user, HttpResponse response, ContactRecords records, ConsoleDbContext db, FieldEncryption encryption, SafeHtml safeHtml, AuditTrail audit, CancellationToken cancellationToken)
    {
        if (await records.FindAsync(contactId, user, write: false, cancellationToken) is not { Channel: ContactChannel.Email }
            || await db.EmailMessages.AsNoTracking().SingleOrDefaultAsync(m => m.Id == emailId && m.ContactId == contactId, cancellationToken) is not { EncryptedHtml: { } html })
        {
            return TypedResults.NotFound();
        }

        var page = safeHtml.Document(Decrypt(encryption, emailId, EmailFields.Html, html));
        await audit.RecordAsync("EmailHtmlRead", contactId, emailId.ToString(), cancellationToken: cancellationToken);
        response.Headers.ContentSecurityPolicy = SafeHtml.ContentSecurityPolicy;
        response.Headers.CacheControl = "no-store";
        return TypedResults.Content(page, "text/html; charset=utf-8");
    }

    /// <summary>An attachment as a download: never rendered by the browser (<c>Content-Disposition: attachment</c>, octet-stream, <c>nosniff</c>).</summary>
    public static async Task<Results<FileContentHttpResult, NotFound>> GetAttachment(
        Guid contactId, Guid attachmentId, ClaimsPrincipal user, HttpResponse response, ContactRecords records, ConsoleDbContext db, FieldEncryption encryption, AuditTrail audit, CancellationToken cancellationToken)
    {
        if (await records.FindAsync(contactId, user, write: false, cancellationToken) is not { Channel: ContactChannel.Email }
            || await db.EmailAttachments.AsNoTracking().SingleOrDefaultAsync(a => a.Id == attachmentId && a.ContactId == contactId, cancellationToken) is not { } attachment)
        {
            return TypedResults.NotFound();
        }

        var content = encryption.DecryptBytes(attachment.EncryptedContent, EmailFields.AttachmentContent(attachment.EmailId, attachment.Id));
        var name = encryption.Decrypt(attachment.EncryptedFileName, EmailFields.AttachmentName(attachment.EmailId, attachment.Id));
        await audit.RecordAsync("EmailAttachmentDownloaded", contactId, attachmentId.ToString(), cancellationToken: cancellationToken);
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.CacheControl = "no-store";
        return TypedResults.File(content, "application/octet-stream", name);
    }

    public static async Task<Results<NoContent, NotFound, ValidationProblem>> PutDraft(
        Guid contactId, DraftRequest request, ClaimsPrincipal user, ContactRecords records, ConsoleDbContext db, FieldEncryption encryption, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await records.FindAsync(contactId, user, write: true, cancellationToken) is not { Channel: ContactChannel.Email })
        {
            return TypedResults.NotFound();
        }

        if ((request.Body ?? "").Length > EmailLimits.MaxReplyLength)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = [$"At most {EmailLimits.MaxReplyLength} characters."] });
        }

        var userId = ContactRecords.UserId(user);
        var encrypted = encryption.Encrypt(request.Body ?? "", ReplyDraft.AssociatedData(contactId, userId), FieldPurpose.Records);
        var draft = await db.ReplyDrafts.SingleOrDefaultAsync(d => d.ContactId == contactId && d.AdvisorId == userId, cancellationToken);
        if (draft is null)
        {
            db.ReplyDrafts.Add(new ReplyDraft { ContactId = contactId, AdvisorId = userId, EncryptedBody = encrypted, UpdatedAt = time.GetUtcNow() });
        }
        else
        {
            draft.EncryptedBody = encrypted;
            draft.UpdatedAt = time.GetUtcNow();
        }

        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// The assigned advisor's reply: refused (409) when the caller's record says email is not safe; otherwise
    /// kept in the conversation and sent through Intake (the outbox), the draft cleared, one audit entry.
    /// </summary>
    public static async Task<Results<Accepted<ReplyAccepted>, NotFound, ValidationProblem, ProblemHttpResult>> PostReply(
        Guid contactId, ReplyRequest request, ClaimsPrincipal user, ContactRecords records, ConsoleDbContext db, FieldEncryption encryption, AuditTrail audit, OutboxSignal outbox, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await records.FindAsync(contactId, user, write: true, cancellationToken) is not { Channel: ContactChannel.Email })
        {
            return TypedResults.NotFound();
        }

        var body = request.Body?.Trim() ?? "";
        var errors = new Dictionary<string, string[]>();
        if (body.Length is 0 or > EmailLimits.MaxReplyLength)
        {
            errors["body"] = [$"Write the reply: 1 to {EmailLimits.MaxReplyLength} characters."];
        }

        if ((request.Subject?.Length ?? 0) > EmailLimits.MaxSubjectLength)
        {
            errors["subject"] = [$"At most {EmailLimits.MaxSubjectLength} characters."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The reply is not valid.");
        }

        if (!await SafeToEmailAsync(db, contactId, cancellationToken))
        {
            return TypedResults.Problem(
                "The caller's record says it is not safe to email them: no reply is sent.",
                statusCode: StatusCodes.Status409Conflict,
                title: "Email is not safe for this caller.");
        }

        var subject = request.Subject?.Trim() is { Length: > 0 } given ? given : await ReplySubjectAsync(db, encryption, contactId, cancellationToken);
        var userId = ContactRecords.UserId(user);
        var now = time.GetUtcNow();
        var emailId = Guid.CreateVersion7(now);
        var encryptedSubject = encryption.Encrypt(subject, EmailFields.AssociatedData(emailId, EmailFields.Subject), FieldPurpose.Shared);
        var encryptedBody = encryption.Encrypt(body, EmailFields.AssociatedData(emailId, EmailFields.Body), FieldPurpose.Shared);
        db.EmailMessages.Add(new ConversationMessage
        {
            Id = emailId,
            ContactId = contactId,
            Direction = MessageDirection.Outbound,
            EncryptedSubject = encryptedSubject,
            EncryptedText = encryptedBody,
            At = now,
            AdvisorId = userId,
            State = ReplyState.Sending,
        });
        db.OutboxMessages.Add(OutboxMessage.Publish(
            new SendEmail
            {
                EmailId = emailId,
                Purpose = EmailPurpose.Reply,
                ContactId = contactId,
                EncryptedSubject = encryptedSubject,
                EncryptedBody = encryptedBody,
                RequestedAt = now,
            },
            now));
        await db.ReplyDrafts.Where(d => d.ContactId == contactId && d.AdvisorId == userId).ExecuteDeleteAsync(cancellationToken);
        audit.Add("EmailReplySent", contactId, emailId.ToString());
        await db.SaveChangesAsync(cancellationToken);
        outbox.Notify();
        return TypedResults.Accepted($"/api/emails/{contactId}", new ReplyAccepted(emailId));
    }

    public static async Task<Ok<IReadOnlyList<TemplateView>>> GetTemplates(ConsoleDbContext db, CancellationToken cancellationToken)
    {
        IReadOnlyList<TemplateView> templates = await db.ReplyTemplates.AsNoTracking().OrderBy(t => t.Name).Select(t => new TemplateView(t.Id, t.Name, t.Body)).ToListAsync(cancellationToken);
        return TypedResults.Ok(templates);
    }

    public static async Task<Results<Created<TemplateView>, ValidationProblem>> PostTemplate(TemplateRequest request, ConsoleDbContext db, AuditTrail audit, TimeProvider time, CancellationToken cancellationToken)
    {
        if (ValidateTemplate(request) is { } invalid)
        {
            return invalid;
        }

        var template = new ReplyTemplate { Id = Guid.CreateVersion7(time.GetUtcNow()), Name = request.Name!.Trim(), Body = request.Body!, UpdatedAt = time.GetUtcNow() };
        db.ReplyTemplates.Add(template);
        audit.Add("ReplyTemplateCreated", target: template.Id.ToString());
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/email/templates/{template.Id}", new TemplateView(template.Id, template.Name, template.Body));
    }

    public static async Task<Results<Ok<TemplateView>, NotFound, ValidationProblem>> PutTemplate(Guid templateId, TemplateRequest request, ConsoleDbContext db, AuditTrail audit, TimeProvider time, CancellationToken cancellationToken)
    {
        if (ValidateTemplate(request) is { } invalid)
        {
            return invalid;
        }

        if (await db.ReplyTemplates.SingleOrDefaultAsync(t => t.Id == templateId, cancellationToken) is not { } template)
        {
            return TypedResults.NotFound();
        }

        template.Name = request.Name!.Trim();
        template.Body = request.Body!;
        template.UpdatedAt = time.GetUtcNow();
        audit.Add("ReplyTemplateChanged", target: template.Id.ToString());
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new TemplateView(template.Id, template.Name, template.Body));
    }

    public static async Task<Results<NoContent, NotFound>> DeleteTemplate(Guid templateId, ConsoleDbContext db, AuditTrail audit, CancellationToken cancellationToken)
    {
        if (await db.ReplyTemplates.SingleOrDefaultAsync(t => t.Id == templateId, cancellationToken) is not { } template)
        {
            return TypedResults.NotFound();
        }

        db.ReplyTemplates.Remove(template);
        audit.Add("ReplyTemplateDeleted", target: template.Id.ToString());
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>The messages held in quarantine, with what could be read of their sender and subject (a read of personal data: audited).</summary>
    public static async Task<Ok<IReadOnlyList<QuarantineView>>> GetQuarantine(ConsoleDbContext db, FieldEncryption encryption, AuditTrail audit, CancellationToken cancellationToken)
    {
        var held = await db.QuarantinedEmails.AsNoTracking().Where(q => q.State == QuarantineState.Held).OrderBy(q => q.ReceivedAt).ToListAsync(cancellationToken);
        var views = held.ConvertAll(q => new QuarantineView(
            q.Id,
            q.Reason,
            q.Size,
            q.EncryptedFrom is null ? null : Decrypt(encryption, q.Id, EmailFields.From, q.EncryptedFrom),
            q.EncryptedSubject is null ? null : Decrypt(encryption, q.Id, EmailFields.Subject, q.EncryptedSubject),
            q.ReceivedAt));
        await audit.RecordAsync("QuarantineRead", detail: $"{views.Count} held", cancellationToken: cancellationToken);
        return TypedResults.Ok<IReadOnlyList<QuarantineView>>(views);
    }

    public static Task<Results<NoContent, NotFound, ProblemHttpResult>> Release(Guid emailId, ClaimsPrincipal user, ConsoleDbContext db, AuditTrail audit, OutboxSignal outbox, TimeProvider time, CancellationToken cancellationToken) =>
        ResolveAsync(emailId, QuarantineState.Released, user, db, audit, outbox, time, cancellationToken);

    public static Task<Results<NoContent, NotFound, ProblemHttpResult>> Discard(Guid emailId, ClaimsPrincipal user, ConsoleDbContext db, AuditTrail audit, OutboxSignal outbox, TimeProvider time, CancellationToken cancellationToken) =>
        ResolveAsync(emailId, QuarantineState.Discarded, user, db, audit, outbox, time, cancellationToken);

    private static async Task<Results<NoContent, NotFound, ProblemHttpResult>> ResolveAsync(
        Guid emailId, QuarantineState resolution, ClaimsPrincipal user, ConsoleDbContext db, AuditTrail audit, OutboxSignal outbox, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await db.QuarantinedEmails.SingleOrDefaultAsync(q => q.Id == emailId, cancellationToken) is not { } held)
        {
            return TypedResults.NotFound();
        }

        if (held.State != QuarantineState.Held)
        {
            return TypedResults.Problem($"The message was already {held.State.ToString().ToLowerInvariant()}.", statusCode: StatusCodes.Status409Conflict, title: "Not in quarantine.");
        }

        var now = time.GetUtcNow();
        var supervisorId = ContactRecords.UserId(user);
        held.State = resolution;
        held.ResolvedBy = supervisorId;
        held.ResolvedAt = now;
        if (resolution == QuarantineState.Discarded)
        {
            held.EncryptedFrom = null;
            held.EncryptedSubject = null;
        }

        db.OutboxMessages.Add(OutboxMessage.Publish(
            resolution == QuarantineState.Released
                ? new ReleaseQuarantinedEmail { EmailId = emailId, SupervisorId = supervisorId, At = now }
                : new DiscardQuarantinedEmail { EmailId = emailId, SupervisorId = supervisorId, At = now },
            now));
        audit.Add(resolution == QuarantineState.Released ? "QuarantineReleased" : "QuarantineDiscarded", target: emailId.ToString(), detail: held.Reason[..Math.Min(held.Reason.Length, 200)]);
        await db.SaveChangesAsync(cancellationToken);
        outbox.Notify();
        return TypedResults.NoContent();
    }

    private static ValidationProblem? ValidateTemplate(TemplateRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Name?.Trim() is not { Length: > 0 and <= EmailLimits.MaxTemplateName })
        {
            errors["name"] = [$"1 to {EmailLimits.MaxTemplateName} characters."];
        }

        if (request.Body is not { Length: > 0 and <= EmailLimits.MaxReplyLength })
        {
            errors["body"] = [$"1 to {EmailLimits.MaxReplyLength} characters."];
        }

        return errors.Count == 0 ? null : TypedResults.ValidationProblem(errors, title: "The template is not valid.");
    }

    /// <summary>Unless the caller's record says email is not safe (false), a reply may go (they wrote to us).</summary>
    private static async Task<bool> SafeToEmailAsync(ConsoleDbContext db, Guid contactId, CancellationToken cancellationToken) =>
        await db.ContactRecords.AsNoTracking().Where(r => r.ContactId == contactId).Select(r => r.SafeToEmail).SingleOrDefaultAsync(cancellationToken) != false;

    private static async Task<string> ReplySubjectAsync(ConsoleDbContext db, FieldEncryption encryption, Guid contactId, CancellationToken cancellationToken)
    {
        var last = await db.EmailMessages.AsNoTracking()
            .Where(m => m.ContactId == contactId && m.Direction == MessageDirection.Inbound && m.Automatic == null)
            .OrderByDescending(m => m.At)
            .FirstOrDefaultAsync(cancellationToken);
        var subject = last is null ? "" : Decrypt(encryption, last.Id, EmailFields.Subject, last.EncryptedSubject).Trim();
        return subject.StartsWith("Re:", StringComparison.OrdinalIgnoreCase) ? subject : $"Re: {subject}".Trim();
    }

    /// <summary>The field's text; empty when retention erased it (a required column, so erased to empty).</summary>
    private static string Decrypt(FieldEncryption encryption, Guid emailId, string field, string value) =>
        value.Length == 0 ? "" : encryption.Decrypt(value, EmailFields.AssociatedData(emailId, field));
}
