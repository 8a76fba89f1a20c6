using Helpline.Console.Retention;

namespace Microsoft.Extensions.Hosting;

internal static class RetentionExtensions
{
    /// <summary>The retention job (section <c>Retention</c>, <see cref="RetentionOptions"/>).</summary>
    public static IHostApplicationBuilder AddRetention(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<RetentionOptions>(RetentionOptions.Section);
        builder.Services.AddScoped<RetentionJob>();
        builder.Services.AddHostedService<RetentionService>();
        return builder;
    }
}
