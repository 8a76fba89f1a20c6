using Helpline.Intake.Integrations;
using Microsoft.AspNetCore.Authentication;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Integrations on the provider-neutral API: each authenticates with its own key (stored hashed,
/// revocable, with scopes), managed by the admin's <c>integration-key</c> command.
/// </summary>
internal static class IntegrationsExtensions
{
    public static IHostApplicationBuilder AddIntegrations(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<IntegrationKeys>();
        builder.Services.AddAuthentication(IntegrationKeyHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, IntegrationKeyHandler>(IntegrationKeyHandler.SchemeName, configureOptions: null);
        builder.Services.AddAuthorizationBuilder().AddIntegrationPolicies();
        return builder;
    }

    /// <summary>Runs an <c>integration-key</c> command instead of the service; false when the arguments are not one.</summary>
    public static Task<bool> RunIntegrationKeyCommandAsync(this WebApplication app, string[] args) =>
        IntegrationKeyCommand.RunAsync(app.Services, args, System.Console.Out);

    /// <summary>Requires an integration key with <paramref name="scope"/> (<see cref="IntegrationScopes"/>).</summary>
    public static TBuilder RequireIntegrationScope<TBuilder>(this TBuilder endpoints, string scope)
        where TBuilder : IEndpointConventionBuilder =>
        endpoints.RequireAuthorization(IntegrationScopes.Policy(scope))
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
}
