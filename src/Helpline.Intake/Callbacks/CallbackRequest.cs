using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Helpline.Intake.Calls;

namespace Helpline.Intake.Callbacks;

/// <summary>
/// A caller's consent to be called back, with the number to call, encrypted (<see cref="CallbackNumberProtector"/>).
/// One per contact. The only place a caller's number is kept in any readable form.
/// </summary>
public sealed class CallbackRequest
{
    public Guid ContactId { get; init; }

    public required byte[] NumberCiphertext { get; init; }

    public DateTimeOffset RequestedAt { get; init; }
}

internal sealed class CallbackRequestConfiguration : IEntityTypeConfiguration<CallbackRequest>
{
    public void Configure(EntityTypeBuilder<CallbackRequest> builder)
    {
        builder.ToTable("callback_requests");
        builder.HasKey(r => r.ContactId);
        builder.Property(r => r.NumberCiphertext).HasMaxLength(128);
        builder.HasOne<InboundCall>().WithOne().HasForeignKey<CallbackRequest>(r => r.ContactId).OnDelete(DeleteBehavior.Cascade);
    }
}
