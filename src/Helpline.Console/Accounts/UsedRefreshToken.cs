using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helpline.Console.Accounts;

/// <summary>
/// A refresh token that has been exchanged once, kept by its SHA-256 (never the token) until it
/// would have expired: a second exchange of it is refused and ends the account's sessions
/// (<see cref="AccountEndpoints.Refresh"/>), since only a copy of a token the client has already
/// used can present it again.
/// </summary>
internal sealed class UsedRefreshToken
{
    public const int HashLength = 64;

    /// <summary>The token's SHA-256, in lowercase hex.</summary>
    public required string TokenHash { get; init; }

    public Guid UserId { get; init; }

    /// <summary>When the token would have expired; the row may go after that.</summary>
    public DateTimeOffset ExpiresAt { get; init; }
}

internal sealed class UsedRefreshTokenConfiguration : IEntityTypeConfiguration<UsedRefreshToken>
{
    public void Configure(EntityTypeBuilder<UsedRefreshToken> builder)
    {
        builder.ToTable("used_refresh_tokens");
        builder.HasKey(t => t.TokenHash);
        builder.Property(t => t.TokenHash).HasMaxLength(UsedRefreshToken.HashLength).IsFixedLength();
        builder.HasIndex(t => new { t.UserId, t.ExpiresAt });
    }
}
