using Helpline.Contracts;
using Helpline.Intake.Callbacks;
using Helpline.ServiceDefaults.Security;

namespace Helpline.Intake.Data;

/// <summary>
/// Every column of schema <c>intake</c> that holds <see cref="FieldEncryption"/> values, with the associated
/// data each is bound with: what <c>rotate-field-keys</c> re-encrypts. All are shared values (Intake holds
/// no records key). A new encrypted column is added here, or the rotation leaves it under the old key
/// (<c>FieldKeyRotationTests</c> finds any <c>encrypted_*</c> column missing from the list).
/// </summary>
internal static class EncryptedColumns
{
    public static readonly IReadOnlyList<EncryptedColumn> All =
    [
        new("callback_requests", "encrypted_number", FieldPurpose.Shared, "contact_id", CallbackRequest.AssociatedData),
        Email("encrypted_from", EmailFields.From),
        Email("encrypted_subject", EmailFields.Subject),
        Email("encrypted_text", EmailFields.Body),
        Email("encrypted_html", EmailFields.Html),
        Email("encrypted_message_id", "message-id"),
        Email("encrypted_references", "references"),
        Email("encrypted_raw", "raw"),
        new("email_attachments", "encrypted_file_name", FieldPurpose.Shared, ["id"], ["email_id"], ids => EmailFields.AttachmentName(ids[1], ids[0])),
        new("email_attachments", "encrypted_content", FieldPurpose.Shared, ["id"], ["email_id"], ids => EmailFields.AttachmentContent(ids[1], ids[0])),
        new("outbound_emails", "encrypted_subject", FieldPurpose.Shared, "id", id => EmailFields.AssociatedData(id, EmailFields.Subject)),
        new("outbound_emails", "encrypted_body", FieldPurpose.Shared, "id", id => EmailFields.AssociatedData(id, EmailFields.Body)),
    ];

    private static EncryptedColumn Email(string column, string field) =>
        new("email_messages", column, FieldPurpose.Shared, "id", id => EmailFields.AssociatedData(id, field));
}
