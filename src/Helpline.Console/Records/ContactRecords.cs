using System.Security.Claims;
using System.Text.Json;
using Helpline.Console.Accounts;
using Helpline.Console.Contacts;
using Helpline.Console.Data;
using Helpline.Console.Directory;
using Helpline.ServiceDefaults;
using Helpline.ServiceDefaults.Outbox;
using Helpline.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;

namespace Helpline.Console.Records;

/// <summary>The outcome of a save: the stored record, or the revision that is current when the caller's was stale.</summary>
internal sealed record SaveResult(ContactRecord? Saved, int CurrentRevision);

/// <summary>
/// Who may see which record, and reading and writing records with their personal fields encrypted.
/// An advisor reaches a record only while the contact is assigned to them or after they completed
/// it; supervisors read every record. Anyone else is told the contact does not exist.
/// </summary>
internal sealed partial class ContactRecords(
    ConsoleDbContext db,
    FieldEncryption encryption,
    AreaDirectory areas,
    RiskScreening screening,
    OutboxSignal outbox,
    ContactMatchRecorder matches,
    TimeProvider time,
    ILogger<ContactRecords> logger)
{
    public const int MaxHistory = 20;

    public static Guid UserId(ClaimsPrincipal user)
    {
        return Guid.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)!);
    }

    /// <summary>The contact if <paramref name="user"/> may read (or, with <paramref name="write"/>, change) its record; else null.</summary>
    public async Task<Contact?> FindAsync(Guid contactId, ClaimsPrincipal user, bool write, CancellationToken cancellationToken)
    {
        var contact = await db.Contacts.AsNoTracking().SingleOrDefaultAsync(c => c.Id == contactId, cancellationToken);
        if (contact is null)
        {
            return null;
        }

        var userId = UserId(user);
        var assignedHere = user.IsInRole(Roles.Advisor)
            && contact.AdvisorId == userId
            && contact.Status is ContactStatus.Assigned or ContactStatus.Completed;
        var allowed = assignedHere || (!write && user.IsInRole(Roles.Supervisor));
        if (allowed && !write)
        {
            LogRead(logger, contactId, userId);
        }

        return allowed ? contact : null;
    }

    public Task<ContactRecord?> LoadAsync(Guid contactId, CancellationToken cancellationToken) =>
        db.ContactRecords.AsNoTracking().SingleOrDefaultAsync(r => r.ContactId == contactId, cancellationToken);

    /// <summary>Saves the whole record if <paramref name="expectedRevision"/> is the current one (0: no record yet).</summary>
    public async Task<SaveResult> SaveAsync(Guid contactId, Guid advisorId, int expectedRevision, ValidRecord valid, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var record = await db.ContactRecords.SingleOrDefaultAsync(r => r.ContactId == contactId, cancellationToken);
        var current = record?.Revision ?? 0;
        if (current != expectedRevision)
        {
            return new SaveResult(null, current);
        }

        if (record is null)
        {
            record = new ContactRecord { ContactId = contactId, CreatedAt = now };
            db.Add(record);
        }

        var raised = valid.Draft.Urgent && !record.Urgent;
        Apply(record, valid, contactId);
        record.Revision = current + 1;
        record.AdvisorId = advisorId;
        record.UpdatedAt = now;
        if (raised)
        {
            record.UrgentRaisedAt = now;
            record.UrgentAcknowledgedAt = null;
            record.UrgentAcknowledgedBy = null;
            db.OutboxMessages.Add(OutboxMessage.Publish(new UrgentContactRaised { ContactId = contactId, AdvisorId = advisorId, At = now }, now));
        }

        await matches.StageAsync(record, cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e is DbUpdateConcurrencyException || PostgresErrors.IsUniqueViolation(e))
        {
            db.ChangeTracker.Clear();
            return new SaveResult(null, (await LoadAsync(contactId, cancellationToken))?.Revision ?? 0);
        }

        if (raised)
        {
            outbox.Notify();
            LogUrgent(logger, contactId, advisorId);
        }

        return new SaveResult(record, record.Revision);
    }

    private void Apply(ContactRecord record, ValidRecord valid, Guid contactId)
    {
        var draft = valid.Draft;
        record.Fixated = draft.Four?.Fixated;
        record.Obsessive = draft.Four?.Obsessive;
        record.Unwanted = draft.Four?.Unwanted;
        record.Repeated = draft.Four?.Repeated;
        record.IsStalking = draft.IsStalking;
        record.Relationship = draft.Relationship;
        record.ReportedToPolice = draft.ReportedToPolice;
        record.AgeGroup = draft.AgeGroup;
        record.Gender = draft.Gender;
        if (valid.Questionnaire is { } questionnaire)
        {
            var score = questionnaire.Score(valid.RiskAnswers);
            record.RiskQuestionnaireId = questionnaire.Id;
            record.RiskQuestionnaireVersion = questionnaire.Version;
            record.RiskAnswers = JsonSerializer.Serialize(valid.RiskAnswers);
            record.RiskScore = score;
            record.RiskBand = questionnaire.BandFor(score).Id;
        }
        else
        {
            record.RiskQuestionnaireId = null;
            record.RiskQuestionnaireVersion = null;
            record.RiskAnswers = null;
            record.RiskScore = null;
            record.RiskBand = null;
        }

        record.SafeToCallBack = draft.Safety?.SafeToCallBack;
        record.VoicemailAllowed = draft.Safety?.VoicemailAllowed;
        record.SafeToEmail = draft.Safety?.SafeToEmail;
        record.EncryptedCallbackNumber = Encrypt(valid.CallbackNumber, contactId, "callbackNumber");
        record.EncryptedSafeTimes = Encrypt(valid.SafeTimes, contactId, "safeTimes");
        record.EncryptedEmail = Encrypt(valid.Email, contactId, "email");
        record.EncryptedNotes = Encrypt(valid.Notes, contactId, "notes");
        record.LocalAuthorityCode = valid.LocalAuthorityCode;
        record.PoliceForceCode = valid.PoliceForceCode;
        record.OutwardCode = valid.OutwardCode;
        record.Needs = [.. valid.Needs];
        record.Outcomes = [.. valid.Outcomes];
        record.Urgent = draft.Urgent;
    }

    public RecordView ToView(Guid contactId, ContactRecord? record)
    {
        var questionnaire = record?.RiskQuestionnaireVersion is { } version ? screening.Version(version) ?? screening.Current : screening.Current;
        var answers = record?.RiskAnswers is { } json
            ? JsonSerializer.Deserialize<Dictionary<string, bool>>(json)!
            : new Dictionary<string, bool>(StringComparer.Ordinal);
        var lad = record?.LocalAuthorityCode is { } ladCode ? areas.LocalAuthority(ladCode) : null;
        var pfa = record?.PoliceForceCode is { } pfaCode ? areas.PoliceForce(pfaCode) : null;
        return new RecordView(
            contactId,
            record?.Revision ?? 0,
            record?.UpdatedAt,
            new FourPrompts(record?.Fixated, record?.Obsessive, record?.Unwanted, record?.Repeated),
            record?.IsStalking,
            record?.Relationship,
            record?.ReportedToPolice,
            record?.AgeGroup,
            record?.Gender,
            new RiskResult(questionnaire.Id, questionnaire.Version, answers, record?.RiskScore, record?.RiskBand),
            new SafetyPreferences(
                record?.SafeToCallBack,
                Decrypt(record?.EncryptedCallbackNumber, contactId, "callbackNumber"),
                Decrypt(record?.EncryptedSafeTimes, contactId, "safeTimes"),
                record?.VoicemailAllowed,
                record?.SafeToEmail,
                Decrypt(record?.EncryptedEmail, contactId, "email")),
            new AreaView(lad?.Code, lad?.Name, pfa?.Code, pfa?.Name, record?.OutwardCode),
            record?.Needs ?? [],
            record?.Outcomes ?? [],
            Decrypt(record?.EncryptedNotes, contactId, "notes"),
            record?.Urgent ?? false);
    }

    /// <summary>Earlier contacts from the same caller, newest first, as any advisor may see them.</summary>
    public async Task<ContactHistory> HistoryAsync(Contact contact, CancellationToken cancellationToken)
    {
        if (contact.CallerKey is null)
        {
            return new ContactHistory(true, 0, []);
        }

        var earlier = db.Contacts.AsNoTracking()
            .Where(c => c.CallerKey == contact.CallerKey && c.Id != contact.Id && c.ReceivedAt <= contact.ReceivedAt);
        var count = await earlier.CountAsync(cancellationToken);
        var rows = await (
                from c in earlier
                join r in db.ContactRecords on c.Id equals r.ContactId into records
                from r in records.DefaultIfEmpty()
                orderby c.ReceivedAt descending
                select new { c.ReceivedAt, c.Channel, c.Status, Outcomes = r == null ? null : r.Outcomes, Urgent = r != null && r.Urgent, Band = r == null ? null : r.RiskBand })
            .Take(MaxHistory)
            .ToListAsync(cancellationToken);
        return new ContactHistory(false, count, rows
            .Select(r => new EarlierContact(r.ReceivedAt, r.Channel.ToString(), r.Status.ToString(), r.Outcomes ?? [], r.Urgent, r.Band))
            .ToList());
    }

    private string? Encrypt(string? value, Guid contactId, string field) =>
        value is null ? null : encryption.Encrypt(value, AssociatedData(contactId, field), FieldPurpose.Records);

    /// <summary>What a contact record's encrypted <paramref name="field"/> is bound to.</summary>
    internal static string AssociatedData(Guid contactId, string field) => $"contact_records:{contactId}:{field}";

    private string? Decrypt(string? value, Guid contactId, string field) =>
        value is null ? null : encryption.Decrypt(value, AssociatedData(contactId, field));

    [LoggerMessage(Level = LogLevel.Information, Message = "Record of contact {ContactId} read by user {UserId}")]
    private static partial void LogRead(ILogger logger, Guid contactId, Guid userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Contact {ContactId} marked urgent by advisor {AdvisorId}")]
    private static partial void LogUrgent(ILogger logger, Guid contactId, Guid advisorId);
}
