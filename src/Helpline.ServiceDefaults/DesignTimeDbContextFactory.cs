using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.Extensions.Hosting;

namespace Helpline.ServiceDefaults;

/// <summary>Lets <c>dotnet ef</c> build a service's model without starting the service.</summary>
public abstract class DesignTimeDbContextFactory<TContext>(string schema, Func<DbContextOptions<TContext>, TContext> create) : IDesignTimeDbContextFactory<TContext>
    where TContext : DbContext
{
    public TContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<TContext>();
        options.UseHelplinePostgres("Host=127.0.0.1;Database=helpline_design", schema);
        return create(options.Options);
    }
}
