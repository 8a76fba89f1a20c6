using Helpline.Console.Advisors;
using Helpline.Console.Contacts;
using Helpline.Console.Routing;
using Helpline.ServiceDefaults.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Helpline.Console.Data;

/// <summary>Console's own data: contacts, advisors, the router's events and checkpoint, the outbox. Schema <c>console</c>.</summary>
public sealed class ConsoleDbContext(DbContextOptions<ConsoleDbContext> options) : DbContext(options), IOutboxContext
{
    public const string Schema = "console";

    public DbSet<Contact> Contacts => Set<Contact>();

    public DbSet<Advisor> Advisors => Set<Advisor>();

    public DbSet<ContactEvent> ContactEvents => Set<ContactEvent>();

    public DbSet<AdvisorEvent> AdvisorEvents => Set<AdvisorEvent>();

    public DbSet<RouterCheckpoint> RouterCheckpoints => Set<RouterCheckpoint>();

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ConsoleDbContext).Assembly);
        modelBuilder.ApplyConfiguration(new OutboxMessageConfiguration());
    }
}
