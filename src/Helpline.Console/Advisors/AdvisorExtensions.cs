using System.Text.Json.Serialization;
using Helpline.Console.Advisors;
using Microsoft.AspNetCore.Authentication;

namespace Microsoft.Extensions.Hosting;

internal static class AdvisorExtensions
{
    public const string AdvisorPolicy = "Advisor";
    public const string SupervisorPolicy = "Supervisor";

    public static IHostApplicationBuilder AddAdvisorHub(this IHostApplicationBuilder builder)
    {
        if (builder.Environment.IsDevelopment())
        {
            builder.Services.AddAuthentication(DevelopmentSignInHandler.SchemeName)
                .AddScheme<AuthenticationSchemeOptions, DevelopmentSignInHandler>(DevelopmentSignInHandler.SchemeName, null);
        }
        else
        {
            builder.Services.AddAuthentication(NoSignInHandler.SchemeName)
                .AddScheme<AuthenticationSchemeOptions, NoSignInHandler>(NoSignInHandler.SchemeName, null);
        }

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(AdvisorPolicy, policy => policy.RequireAuthenticatedUser().RequireRole("Advisor"))
            .AddPolicy(SupervisorPolicy, policy => policy.RequireAuthenticatedUser().RequireRole("Supervisor"));

        builder.Services.AddSignalR(options => options.MaximumReceiveMessageSize = 8 * 1024)
            .AddJsonProtocol(options => options.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        return builder;
    }

    public static WebApplication MapAdvisorHub(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHub<AdvisorHub>(AdvisorHub.Path);
        return app;
    }
}
