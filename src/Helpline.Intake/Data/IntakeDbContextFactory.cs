using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Helpline.Intake.Data;

/// <summary>Lets <c>dotnet ef</c> build the model without starting the service.</summary>
internal sealed class IntakeDbContextFactory : IDesignTimeDbContextFactory<IntakeDbContext>
{
    public IntakeDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<IntakeDbContext>();
        options.UseHelplinePostgres("Host=127.0.0.1;Database=helpline_design", IntakeDbContext.Schema);
        return new IntakeDbContext(options.Options);
    }
}
