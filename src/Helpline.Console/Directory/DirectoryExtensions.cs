using Helpline.Console.Directory;

namespace Microsoft.Extensions.Hosting;

internal static class DirectoryExtensions
{
    /// <summary>The directory of services (held in memory, reloaded when it changes), its validation and editing, and matching callers to services.</summary>
    public static IHostApplicationBuilder AddServiceDirectory(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DirectoryCatalog>();
        builder.Services.AddSingleton<ServiceValidator>();
        builder.Services.AddScoped<DirectoryEditor>();
        builder.AddDirectoryPolicies();
        return builder;
    }

    public static WebApplication MapServiceDirectory(this WebApplication app)
    {
        app.MapDirectoryEndpoints();
        app.MapContactServicesEndpoints();
        return app;
    }
}
