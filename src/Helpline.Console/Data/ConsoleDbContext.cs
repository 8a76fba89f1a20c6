using Helpline.Console.Accounts;
using Helpline.Console.Advisors;
using Helpline.Console.Audit;
using Helpline.Console.Contacts;
using Helpline.Console.Email;
using Helpline.Console.Hours;
using Helpline.Console.Records;
using Helpline.Console.RouterHosting;
using Helpline.Console.Safety;
using Helpline.ServiceDefaults.Outbox;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Helpline.Console.Data;

/// <summary>Console's own data: accounts (Identity), contacts, advisors, the router's events and checkpoint, contact records, the audit trail, used refresh tokens, email conversations (content encrypted), reply templates and drafts, the quarantine, the outbox, the Data Protection key ring (each key encrypted, <see cref="KeyRing"/>). Schema <c>console</c>.</summary>
public sealed class ConsoleDbContext(DbContextOptions<ConsoleDbContext> options)
    : IdentityDbContext<HelplineUser, IdentityRole<Guid>, Guid>(options), IOutboxContext, IDataProtectionKeyContext
{
    public const string Schema = "console";

    internal DbSet<Contact> Contacts => Set<Contact>();

    internal DbSet<Advisor> Advisors => Set<Advisor>();

    internal DbSet<ContactEvent> ContactEvents => Set<ContactEvent>();

    internal DbSet<AdvisorEvent> AdvisorEvents => Set<AdvisorEvent>();

    internal DbSet<RouterCheckpoint> RouterCheckpoints => Set<RouterCheckpoint>();

    internal DbSet<RouterJournalEntry> RouterJournal => Set<RouterJournalEntry>();

    internal DbSet<ContactRecord> ContactRecords => Set<ContactRecord>();

    internal DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    internal DbSet<ConversationMessage> EmailMessages => Set<ConversationMessage>();

    internal DbSet<ConversationAttachment> EmailAttachments => Set<ConversationAttachment>();

    internal DbSet<QuarantinedEmail> QuarantinedEmails => Set<QuarantinedEmail>();

    internal DbSet<ReplyTemplate> ReplyTemplates => Set<ReplyTemplate>();

    internal DbSet<ReplyDraft> ReplyDrafts => Set<ReplyDraft>();

    internal DbSet<CallerFlag> CallerFlags => Set<CallerFlag>();

    internal DbSet<SpecialClosure> SpecialClosures => Set<SpecialClosure>();

    internal DbSet<UsedRefreshToken> UsedRefreshTokens => Set<UsedRefreshToken>();

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    public DbSet<OutboxDeadLetter> OutboxDeadLetters => Set<OutboxDeadLetter>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.HasDefaultSchema(Schema);
        builder.Entity<HelplineUser>().ToTable("users");
        builder.Entity<IdentityRole<Guid>>().ToTable("roles");
        builder.Entity<IdentityUserRole<Guid>>().ToTable("user_roles");
        builder.Entity<IdentityUserClaim<Guid>>().ToTable("user_claims");
        builder.Entity<IdentityUserLogin<Guid>>().ToTable("user_logins");
        builder.Entity<IdentityUserToken<Guid>>().ToTable("user_tokens");
        builder.Entity<IdentityRoleClaim<Guid>>().ToTable("role_claims");
        builder.Entity<DataProtectionKey>().ToTable("data_protection_keys");
        builder.ApplyConfigurationsFromAssembly(typeof(ConsoleDbContext).Assembly);
        builder.ApplyConfiguration(new OutboxMessageConfiguration());
        builder.ApplyConfiguration(new OutboxDeadLetterConfiguration());
    }
}
