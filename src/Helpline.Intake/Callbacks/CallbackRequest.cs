using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Helpline.Intake.Calls;

namespace Helpline.Intake.Callbacks;

/// <summary>
/// A caller's consent to be called back, with the number to call, encrypted with the shared
/// <see cref="Helpline.ServiceDefaults.Security.FieldEncryption"/> and bound to its contact
/// (<see cref="AssociatedData"/>). One per contact. The only place a caller's number is kept in any readable form.
/// </summary>
internal sealed class CallbackRequest
{
    public Guid ContactId { get; init; }

    /// <summary><c>v2:</c> + key id + <c>:</c> + base64 of nonce, tag and ciphertext (<c>v1:</c> + base64 before the key ring) (column <c>encrypted_number</c>).</summary>
    public required string EncryptedNumber { get; init; }

    public DateTimeOffset RequestedAt { get; init; }

    /// <summary>The associated data of a contact's encrypted number: a ciphertext copied onto another contact's row, or into another column, does not decrypt.</summary>
    public static string AssociatedData(Guid contactId) => $"callback_requests:{contactId}:number";
}

internal sealed class CallbackRequestConfiguration : IEntityTypeConfiguration<CallbackRequest>
{
    public void Configure(EntityTypeBuilder<CallbackRequest> builder)
    {
        builder.ToTable("callback_requests");
        builder.HasKey(r => r.ContactId);
        builder.HasOne<InboundCall>().WithOne().HasForeignKey<CallbackRequest>(r => r.ContactId).OnDelete(DeleteBehavior.Cascade);
    }
}
