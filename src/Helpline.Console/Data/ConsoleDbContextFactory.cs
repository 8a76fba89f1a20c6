using Helpline.ServiceDefaults;

namespace Helpline.Console.Data;

internal sealed class ConsoleDbContextFactory() : DesignTimeDbContextFactory<ConsoleDbContext>(ConsoleDbContext.Schema, options => new(options));
