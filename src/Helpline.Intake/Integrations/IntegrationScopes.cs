using Microsoft.AspNetCore.Authorization;

namespace Helpline.Intake.Integrations;

/// <summary>
/// What an integration key may do, and the authorization policy of each: <c>calls</c> announces calls
/// and their lifecycle (hang-up, answered, ended, connect-failed), <c>callbacks</c> records a caller's
/// callback consent (it writes a phone number, so a bridge that never offers callbacks does not get it).
/// </summary>
internal static class IntegrationScopes
{
    public const string Calls = "calls";
    public const string Callbacks = "callbacks";

    public static readonly IReadOnlyList<string> All = [Calls, Callbacks];

    /// <summary>The claim that carries each of a key's scopes.</summary>
    public const string ClaimType = "scope";

    /// <summary>The policy for each scope: an integration key (current, not revoked) with that scope.</summary>
    public static string Policy(string scope) => "integration:" + scope;

    public static AuthorizationBuilder AddIntegrationPolicies(this AuthorizationBuilder policies)
    {
        foreach (var scope in All)
        {
            policies.AddPolicy(Policy(scope), policy => policy
                .AddAuthenticationSchemes(IntegrationKeyHandler.SchemeName)
                .RequireAuthenticatedUser()
                .RequireClaim(ClaimType, scope));
        }

        return policies;
    }
}
