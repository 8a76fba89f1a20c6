using Helpline.Console.Contacts;
using Microsoft.EntityFrameworkCore;

namespace Helpline.Console.Data;

/// <summary>Console's own data: contacts as the helpline works them. Schema <c>console</c>.</summary>
public sealed class ConsoleDbContext(DbContextOptions<ConsoleDbContext> options) : DbContext(options)
{
    public const string Schema = "console";

    public DbSet<Contact> Contacts => Set<Contact>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ConsoleDbContext).Assembly);
    }
}
