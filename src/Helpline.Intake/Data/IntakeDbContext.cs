using Helpline.Intake.Callbacks;
using Helpline.Intake.Calls;
using Helpline.Intake.Email;
using Helpline.Intake.Hours;
using Helpline.Intake.Integrations;
using Helpline.ServiceDefaults.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Helpline.Intake.Data;

/// <summary>Intake's own data: calls as received and what became of them, special closures, callback consents (numbers encrypted), email conversations, messages and mailbox checkpoints (content encrypted), emails to send, integration keys (hashed), and the outbox. Schema <c>intake</c>.</summary>
public sealed class IntakeDbContext(DbContextOptions<IntakeDbContext> options) : DbContext(options), IOutboxContext
{
    public const string Schema = "intake";

    internal DbSet<InboundCall> InboundCalls => Set<InboundCall>();

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    public DbSet<OutboxDeadLetter> OutboxDeadLetters => Set<OutboxDeadLetter>();

    internal DbSet<Closure> Closures => Set<Closure>();

    internal DbSet<CallbackRequest> CallbackRequests => Set<CallbackRequest>();

    internal DbSet<EmailConversation> EmailConversations => Set<EmailConversation>();

    internal DbSet<StoredEmail> EmailMessages => Set<StoredEmail>();

    internal DbSet<StoredAttachment> EmailAttachments => Set<StoredAttachment>();

    internal DbSet<MailboxCheckpoint> MailboxCheckpoints => Set<MailboxCheckpoint>();

    internal DbSet<OutboundEmail> OutboundEmails => Set<OutboundEmail>();

    internal DbSet<IntegrationKey> IntegrationKeys => Set<IntegrationKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(IntakeDbContext).Assembly);
        modelBuilder.ApplyConfiguration(new OutboxMessageConfiguration());
        modelBuilder.ApplyConfiguration(new OutboxDeadLetterConfiguration());
    }
}
