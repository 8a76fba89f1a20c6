using Helpline.ServiceDefaults;

namespace Helpline.Intake.Data;

internal sealed class IntakeDbContextFactory() : DesignTimeDbContextFactory<IntakeDbContext>(IntakeDbContext.Schema, options => new(options));
