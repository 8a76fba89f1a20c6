using Helpline.Console.Data;

namespace Microsoft.Extensions.Hosting;

internal static class ConsoleDataExtensions
{
    public static IHostApplicationBuilder AddConsoleData(this IHostApplicationBuilder builder) =>
        builder.AddHelplineDbContext<ConsoleDbContext>(ConsoleDbContext.Schema);
}
