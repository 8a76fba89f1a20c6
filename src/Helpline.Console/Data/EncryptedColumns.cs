using Helpline.Console.Email;
using Helpline.Console.Records;
using Helpline.Console.Referrals;
using Helpline.Console.Safety;
using Helpline.Contracts;
using Helpline.ServiceDefaults.Security;

namespace Helpline.Console.Data;

/// <summary>
/// Every column of schema <c>console</c> that holds <see cref="FieldEncryption"/> values, with its purpose
/// and the associated data each is bound with: what <c>rotate-field-keys</c> re-encrypts. Records values
/// (only Console reads them) go to the records key; emails, which Intake handles too, to the shared key.
/// A new encrypted column is added here, or the rotation leaves it under the old key
/// (<c>FieldKeyRotationTests</c> finds any <c>encrypted_*</c> column missing from the list).
/// </summary>
internal static class EncryptedColumns
{
    public static readonly IReadOnlyList<EncryptedColumn> All =
    [
        Record("encrypted_callback_number", "callbackNumber"),
        Record("encrypted_safe_times", "safeTimes"),
        Record("encrypted_email", "email"),
        Record("encrypted_notes", "notes"),
        new("referrals", "encrypted_name", FieldPurpose.Records, "id", id => ReferralDesk.AssociatedData(id, "name")),
        new("referrals", "encrypted_summary", FieldPurpose.Records, "id", id => ReferralDesk.AssociatedData(id, "summary")),
        new("caller_flags", "encrypted_reason", FieldPurpose.Records, "id", CallerFlagReader.AssociatedData),
        new("reply_drafts", "encrypted_body", FieldPurpose.Records, ["contact_id", "advisor_id"], [], ids => ReplyDraft.AssociatedData(ids[0], ids[1])),
        Email("email_messages", "encrypted_from", EmailFields.From),
        Email("email_messages", "encrypted_subject", EmailFields.Subject),
        Email("email_messages", "encrypted_text", EmailFields.Body),
        Email("email_messages", "encrypted_html", EmailFields.Html),
        new("email_attachments", "encrypted_file_name", FieldPurpose.Shared, ["id"], ["email_id"], ids => EmailFields.AttachmentName(ids[1], ids[0])),
        new("email_attachments", "encrypted_content", FieldPurpose.Shared, ["id"], ["email_id"], ids => EmailFields.AttachmentContent(ids[1], ids[0])),
        Email("quarantined_emails", "encrypted_from", EmailFields.From),
        Email("quarantined_emails", "encrypted_subject", EmailFields.Subject),
    ];

    private static EncryptedColumn Record(string column, string field) =>
        new("contact_records", column, FieldPurpose.Records, "contact_id", id => ContactRecords.AssociatedData(id, field));

    private static EncryptedColumn Email(string table, string column, string field) =>
        new(table, column, FieldPurpose.Shared, "id", id => EmailFields.AssociatedData(id, field));
}
