using Helpline.Intake.Calls;
using Helpline.Intake.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Helpline.Intake.Data;

/// <summary>Intake's own data: contacts as received, and the outbox. Schema <c>intake</c>.</summary>
public sealed class IntakeDbContext(DbContextOptions<IntakeDbContext> options) : DbContext(options)
{
    public const string Schema = "intake";

    public DbSet<InboundCall> InboundCalls => Set<InboundCall>();

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(IntakeDbContext).Assembly);
    }
}
