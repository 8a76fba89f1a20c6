using Helpline.Intake.Data;

namespace Microsoft.Extensions.Hosting;

internal static class IntakeDataExtensions
{
    public static IHostApplicationBuilder AddIntakeData(this IHostApplicationBuilder builder) =>
        builder.AddHelplineDbContext<IntakeDbContext>(IntakeDbContext.Schema);
}
