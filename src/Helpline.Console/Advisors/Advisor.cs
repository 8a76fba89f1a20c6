using Helpline.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helpline.Console.Advisors;

/// <summary>An advisor: who they are, what they take, and where their phone rings.</summary>
internal sealed class Advisor
{
    public Guid Id { get; init; }

    public required string UserName { get; init; }

    public Skills Skills { get; set; } = Skills.CallsAndEmails;

    public int EmailCapacity { get; set; } = 3;

    /// <summary>Where calls are bridged: <c>client:identity</c> (a Twilio Client) or an E.164 number.</summary>
    public required string CallEndpoint { get; set; }

    public DateTimeOffset CreatedAt { get; init; }
}

internal sealed class AdvisorConfiguration : IEntityTypeConfiguration<Advisor>
{
    public void Configure(EntityTypeBuilder<Advisor> builder)
    {
        builder.ToTable("advisors");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).ValueGeneratedNever();
        builder.Property(a => a.UserName).HasMaxLength(64);
        builder.HasIndex(a => a.UserName).IsUnique();
        builder.Property(a => a.Skills).HasConversion<string>().HasMaxLength(32);
        builder.Property(a => a.CallEndpoint).HasMaxLength(128);
    }
}
