using Helpline.Console.Audit;
using Helpline.Console.Data;
using Helpline.Console.Directory;
using Helpline.Console.Records;
using Helpline.Contracts;
using Helpline.ServiceDefaults;
using Helpline.ServiceDefaults.Outbox;
using Helpline.ServiceDefaults.Security;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helpline.Console.Referrals;

/// <summary>What a planned referral would be: the service, the consent in force, the fields and why it would be refused.</summary>
internal sealed record ReferralPlan(SupportService Service, ReferralConsent? Consent, IReadOnlyList<ReferralField> Fields, IReadOnlyList<string> Refusals);

/// <summary>The outcome of a request: its value, field errors (400), refusals (422), or a conflict (409); Missing for an unknown referral or service.</summary>
internal sealed record DeskResult<T>(T? Value, IReadOnlyDictionary<string, string[]>? Errors = null, IReadOnlyList<string>? Refusals = null, string? Conflict = null, bool Missing = false)
    where T : class;

/// <summary>
/// Consent, referrals and their lifecycle (docs/referrals.md). The server, not the browser, refuses
/// a referral without the caller's consent to every field it would carry, or one the caller's safety
/// preferences forbid. A referral by email is a <see cref="SendEmail"/> through the outbox, saved in
/// the same transaction as the referral; one by phone is recorded as made.
/// </summary>
internal sealed partial class ReferralDesk(
    ConsoleDbContext db,
    ContactRecords records,
    DirectoryCatalog catalog,
    FieldEncryption encryption,
    AuditTrail audit,
    OutboxSignal outbox,
    IOptions<ReferralOptions> options,
    TimeProvider time,
    ILogger<ReferralDesk> logger)
{
    public async Task<ContactReferrals> ForContactAsync(Guid contactId, CancellationToken cancellationToken)
    {
        var consents = await db.Set<ReferralConsent>().AsNoTracking().Where(c => c.ContactId == contactId).OrderBy(c => c.GivenAt).ToListAsync(cancellationToken);
        var referrals = await db.Set<Referral>().AsNoTracking().Where(r => r.ContactId == contactId).OrderBy(r => r.MadeAt).ToListAsync(cancellationToken);
        return new ContactReferrals([.. consents.Select(ConsentView.From)], await ViewsAsync(referrals, cancellationToken));
    }

    /// <summary>Open referrals, overdue ones first (the most overdue first), then by when they are due.</summary>
    public async Task<IReadOnlyList<ReferralView>> OpenAsync(CancellationToken cancellationToken)
    {
        var open = await db.Set<Referral>().AsNoTracking().Where(r => ReferralVocabulary.Open.Contains(r.Status)).ToListAsync(cancellationToken);
        var views = await ViewsAsync(open, cancellationToken);
        return [.. views.OrderByDescending(v => v.Overdue).ThenBy(v => v.DueAt).ThenBy(v => v.Id)];
    }

    public async Task<DeskResult<ConsentView>> GiveConsentAsync(Guid contactId, ConsentRequest request, Guid actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var directory = await catalog.CurrentAsync(db, cancellationToken);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (request.ServiceId is not { } serviceId || directory.Service(serviceId) is null)
        {
            errors["serviceId"] = ["Choose a service from the directory."];
        }

        var fields = (request.Fields ?? []).Distinct(StringComparer.Ordinal).ToList();
        if (fields.Count == 0 || fields.Any(f => !DirectoryVocabulary.ReferralFields.Contains(f)))
        {
            errors["fields"] = [$"Name what the caller agreed may be shared, from {string.Join(", ", DirectoryVocabulary.ReferralFields)}."];
        }

        if (errors.Count > 0)
        {
            return new(null, errors);
        }

        var consent = new ReferralConsent
        {
            Id = NewId.NextGuid(),
            ContactId = contactId,
            ServiceId = request.ServiceId!,
            Fields = [.. DirectoryVocabulary.ReferralFields.Where(fields.Contains)],
            GivenAt = time.GetUtcNow(),
            RecordedBy = actor,
        };
        db.Add(consent);
        audit.Add("referral.consent.given", contactId, consent.ServiceId, string.Join(",", consent.Fields));
        await db.SaveChangesAsync(cancellationToken);
        return new(ConsentView.From(consent));
    }

    /// <summary>Withdraws a consent, and with it every open referral made under it.</summary>
    public async Task<DeskResult<ConsentView>> WithdrawConsentAsync(Guid contactId, Guid consentId, Guid actor, CancellationToken cancellationToken)
    {
        var consent = await db.Set<ReferralConsent>().SingleOrDefaultAsync(c => c.Id == consentId && c.ContactId == contactId, cancellationToken);
        if (consent is null)
        {
            return new(null, Missing: true);
        }

        if (consent.WithdrawnAt is not null)
        {
            return new(ConsentView.From(consent));
        }

        var now = time.GetUtcNow();
        consent.WithdrawnAt = now;
        consent.WithdrawnBy = actor;
        var open = await db.Set<Referral>().Where(r => r.ConsentId == consentId && ReferralVocabulary.Open.Contains(r.Status)).ToListAsync(cancellationToken);
        foreach (var referral in open)
        {
            Step(referral, ReferralVocabulary.Withdrawn, null, "consent withdrawn", actor, now);
        }

        audit.Add("referral.consent.withdrawn", contactId, consent.ServiceId, open.Count == 0 ? null : $"{open.Count} open referral(s) withdrawn");
        await db.SaveChangesAsync(cancellationToken);
        return new(ConsentView.From(consent));
    }

    public async Task<DeskResult<ReferralPreview>> PreviewAsync(Guid contactId, ReferralRequest request, CancellationToken cancellationToken)
    {
        var (plan, errors) = await PlanAsync(contactId, request, cancellationToken);
        if (plan is null)
        {
            return new(null, errors);
        }

        var s = plan.Service;
        var email = s.ReferralMethod == DirectoryVocabulary.SecureEmail;
        audit.Add("referral.previewed", contactId, s.Id, string.Join(",", plan.Fields.Select(f => f.Field)));
        await db.SaveChangesAsync(cancellationToken);
        return new(new ReferralPreview(
            s.Id,
            s.Name,
            s.ReferralMethod,
            email ? s.ReferralEmail : null,
            s.Phone,
            plan.Fields,
            email ? ReferralContent.Subject(ReferralContent.PendingReference) : null,
            email ? ReferralContent.Body(s.Name, plan.Fields, plan.Consent?.GivenAt ?? time.GetUtcNow(), ReferralContent.PendingReference) : null,
            plan.Refusals));
    }

    public async Task<DeskResult<ReferralView>> MakeAsync(Guid contactId, ReferralRequest request, Guid actor, CancellationToken cancellationToken)
    {
        var (plan, errors) = await PlanAsync(contactId, request, cancellationToken);
        if (plan is null)
        {
            return new(null, errors);
        }

        if (plan.Refusals.Count > 0)
        {
            LogRefused(logger, contactId, plan.Service.Id, plan.Refusals.Count);
            return new(null, Refusals: plan.Refusals);
        }

        var now = time.GetUtcNow();
        var s = plan.Service;
        var id = NewId.NextGuid();
        var byEmail = s.ReferralMethod == DirectoryVocabulary.SecureEmail;
        var referral = new Referral
        {
            Id = id,
            ContactId = contactId,
            ServiceId = s.Id,
            ServiceName = s.Name,
            IsLocal = !ServiceMatcher.IsNational(s),
            ConsentId = plan.Consent!.Id,
            Method = s.ReferralMethod,
            Fields = [.. plan.Fields.Select(f => f.Field)],
            EncryptedName = Encrypt(Blank(request.Name), id, "name"),
            EncryptedSummary = Encrypt(Blank(request.Summary), id, "summary"),
            Status = ReferralVocabulary.Made,
            MadeAt = now,
            MadeBy = actor,
            EmailId = byEmail ? NewId.NextGuid() : null,
            EmailStatus = byEmail ? "pending" : null,
            Version = 1,
        };
        db.Add(referral);
        db.Add(new ReferralEvent { ReferralId = id, At = now, ActorId = actor, Type = ReferralVocabulary.Made });
        if (referral.EmailId is { } emailId)
        {
            db.OutboxMessages.Add(OutboxMessage.Publish(
                new SendEmail
                {
                    EmailId = emailId,
                    Purpose = EmailPurpose.Referral,
                    ContactId = contactId,
                    To = s.ReferralEmail,
                    EncryptedSubject = encryption.Encrypt(ReferralContent.Subject(ReferralContent.Reference(id)), EmailFields.AssociatedData(emailId, EmailFields.Subject), FieldPurpose.Shared),
                    EncryptedBody = encryption.Encrypt(ReferralContent.Body(s.Name, plan.Fields, plan.Consent.GivenAt, ReferralContent.Reference(id)), EmailFields.AssociatedData(emailId, EmailFields.Body), FieldPurpose.Shared),
                    RequestedAt = now,
                },
                now));
        }

        audit.Add("referral.made", contactId, s.Id, $"{s.ReferralMethod}: {string.Join(",", referral.Fields)}");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (PostgresErrors.IsUniqueViolation(e))
        {
            db.ChangeTracker.Clear();
            return new(null, Conflict: $"The caller already has an open referral to {s.Name}.");
        }

        if (byEmail)
        {
            outbox.Notify();
        }

        LogMade(logger, id, contactId, s.Id, s.ReferralMethod);
        return new((await ViewsAsync([referral], cancellationToken))[0]);
    }

    public Task<Referral?> FindAsync(Guid referralId, CancellationToken cancellationToken) =>
        db.Set<Referral>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == referralId, cancellationToken);

    public async Task<DeskResult<ReferralView>> ChangeStatusAsync(Guid referralId, StatusChange change, Guid actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var referral = await db.Set<Referral>().SingleOrDefaultAsync(r => r.Id == referralId, cancellationToken);
        if (referral is null)
        {
            return new(null, Missing: true);
        }

        var reason = Blank(change.Reason);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var open = ReferralVocabulary.Open.Contains(referral.Status);
        switch (change.Status)
        {
            case ReferralVocabulary.Accepted or ReferralVocabulary.Rejected when referral.Status != ReferralVocabulary.Made:
            case ReferralVocabulary.Withdrawn or ReferralVocabulary.Done when !open:
                return new(null, Conflict: $"The referral is {referral.Status}: it cannot become {change.Status}.");
            case ReferralVocabulary.Rejected when reason is null:
                errors["reason"] = ["Say why the service rejected the referral."];
                break;
            case ReferralVocabulary.Done when change.Successful is null:
                errors["successful"] = ["Say whether the referral succeeded."];
                break;
            case ReferralVocabulary.Done when (change.Successful == false && reason is null) || (reason is not null && !ReferralVocabulary.DoneReasons.Contains(reason)):
                errors["reason"] = [$"Choose the reason: {string.Join(", ", ReferralVocabulary.DoneReasons)}."];
                break;
            case ReferralVocabulary.Accepted or ReferralVocabulary.Rejected or ReferralVocabulary.Withdrawn or ReferralVocabulary.Done:
                break;
            default:
                errors["status"] = ["Choose accepted, rejected, withdrawn or done."];
                break;
        }

        if (reason is { Length: > ReferralVocabulary.MaxReasonLength })
        {
            errors["reason"] = [$"At most {ReferralVocabulary.MaxReasonLength} characters."];
        }

        if (errors.Count > 0)
        {
            return new(null, errors);
        }

        Step(referral, change.Status!, change.Status == ReferralVocabulary.Done ? change.Successful : null, reason, actor, time.GetUtcNow());
        audit.Add($"referral.{change.Status}", referral.ContactId, referral.ServiceId, referral.Id.ToString());
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return new(null, Conflict: "The referral changed at the same moment: load it again.");
        }

        return new((await ViewsAsync([referral], cancellationToken))[0]);
    }

    /// <summary>Records Intake's report on a referral's email; a redelivered report changes nothing.</summary>
    public async Task RecordEmailAsync(Guid emailId, bool sent, string? messageId, bool permanent, string? failure, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var referral = await db.Set<Referral>().SingleOrDefaultAsync(r => r.EmailId == emailId, cancellationToken);
        if (referral is null || referral.EmailStatus is "sent" or "failed")
        {
            return;
        }

        var type = sent ? "emailSent" : "emailSendFailed";
        if (!sent && await db.Set<ReferralEvent>().AnyAsync(e => e.ReferralId == referral.Id && e.Type == type && e.Reason == failure, cancellationToken))
        {
            return;
        }

        referral.EmailStatus = sent ? "sent" : permanent ? "failed" : "retrying";
        referral.EmailMessageId = messageId;
        referral.Version++;
        db.Add(new ReferralEvent { ReferralId = referral.Id, At = at, Type = type, Reason = failure });
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task<(ReferralPlan?, IReadOnlyDictionary<string, string[]>?)> PlanAsync(Guid contactId, ReferralRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var directory = await catalog.CurrentAsync(db, cancellationToken);
        var service = request.ServiceId is { } id ? directory.Service(id) : null;
        if (service is null)
        {
            errors["serviceId"] = ["Choose a service from the directory."];
        }

        if (Blank(request.Name) is { Length: > ReferralVocabulary.MaxNameLength })
        {
            errors["name"] = [$"At most {ReferralVocabulary.MaxNameLength} characters."];
        }

        if (Blank(request.Summary) is { Length: > ReferralVocabulary.MaxSummaryLength })
        {
            errors["summary"] = [$"At most {ReferralVocabulary.MaxSummaryLength} characters."];
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var record = records.ToView(contactId, await records.LoadAsync(contactId, cancellationToken));
        var consent = await db.Set<ReferralConsent>().AsNoTracking()
            .Where(c => c.ContactId == contactId && c.ServiceId == service!.Id && c.WithdrawnAt == null)
            .OrderByDescending(c => c.GivenAt)
            .FirstOrDefaultAsync(cancellationToken);
        var fields = ReferralContent.Fields(service!.ReferralFields, record, Blank(request.Name), Blank(request.Summary));
        return (new ReferralPlan(service, consent, fields, ReferralRules.Refusals(service, consent, record, fields)), null);
    }

    private void Step(Referral referral, string status, bool? successful, string? reason, Guid actor, DateTimeOffset now)
    {
        referral.Status = status;
        referral.Version++;
        if (status == ReferralVocabulary.Accepted)
        {
            referral.AcceptedAt = now;
        }
        else
        {
            referral.ClosedAt = now;
            referral.Successful = successful;
            referral.Reason = reason;
        }

        db.Add(new ReferralEvent { ReferralId = referral.Id, At = now, ActorId = actor, Type = status, Reason = reason, Successful = successful });
    }

    private async Task<IReadOnlyList<ReferralView>> ViewsAsync(IReadOnlyList<Referral> referrals, CancellationToken cancellationToken)
    {
        var ids = referrals.Select(r => r.Id).ToList();
        var steps = await (
                from e in db.Set<ReferralEvent>().AsNoTracking()
                where ids.Contains(e.ReferralId)
                join u in db.Users on e.ActorId equals u.Id into users
                from u in users.DefaultIfEmpty()
                orderby e.Id
                select new { e.ReferralId, Step = new ReferralStep(e.Type, e.At, e.ActorId, u == null ? null : u.UserName, e.Reason, e.Successful) })
            .ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        var settings = options.Value;
        return [.. referrals.Select(r =>
        {
            DateTimeOffset? due = r.Status switch
            {
                ReferralVocabulary.Made => r.MadeAt + settings.ResponseDue,
                ReferralVocabulary.Accepted => (r.AcceptedAt ?? r.MadeAt) + settings.CompletionDue,
                _ => null,
            };
            return new ReferralView(
                r.Id, r.ContactId, r.ServiceId, r.ServiceName, r.IsLocal ? "local" : "national", r.Method, r.Status, r.Fields, r.MadeAt, r.MadeBy,
                due, due < now, r.Successful, r.Reason, r.EmailStatus, r.Version,
                [.. steps.Where(s => s.ReferralId == r.Id).Select(s => s.Step)]);
        })];
    }

    private string? Encrypt(string? value, Guid referralId, string field) =>
        value is null ? null : encryption.Encrypt(value, AssociatedData(referralId, field), FieldPurpose.Records);

    /// <summary>What a referral's encrypted <paramref name="field"/> is bound to.</summary>
    internal static string AssociatedData(Guid referralId, string field) => $"referrals:{referralId}:{field}";

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    [LoggerMessage(Level = LogLevel.Information, Message = "Referral {ReferralId} of contact {ContactId} made to {ServiceId} by {Method}")]
    private static partial void LogMade(ILogger logger, Guid referralId, Guid contactId, string serviceId, string method);

    [LoggerMessage(Level = LogLevel.Information, Message = "Referral of contact {ContactId} to {ServiceId} refused ({Count} reasons)")]
    private static partial void LogRefused(ILogger logger, Guid contactId, string serviceId, int count);
}
