using System.Reflection;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.Testing.Hostile;

/// <summary>One door of a running service: a route (each HTTP method of it) with the policy it states, or none.</summary>
public sealed record Door(string Method, string Route, string? Policy, bool Anonymous, string Name)
{
    /// <summary>A concrete path for the route: each parameter filled with a value its constraints accept.</summary>
    public string Path { get; init; } = Route;

    /// <summary>The content type the endpoint declares it accepts (so routing selects it), else JSON.</summary>
    public string ContentType { get; init; } = "application/json";

    public override string ToString() => $"{Method} {Route} ({Name})";
}

/// <summary>Who a policy lets in: the roles (or integration scopes) it requires, or everyone signed in.</summary>
public sealed record PolicyAudience(IReadOnlySet<string>? Roles, IReadOnlySet<string>? Scopes);

/// <summary>
/// Reads every door from a running app's own endpoint metadata (its <see cref="EndpointDataSource"/>),
/// not from a list kept by hand, and every hub method by reflection: a door added tomorrow is in the
/// survey tomorrow.
/// </summary>
public static class DoorSurvey
{
    public static IReadOnlyList<Door> Doors(IServiceProvider services) => Doors(services.GetRequiredService<EndpointDataSource>().Endpoints);

    public static IReadOnlyList<Door> Doors(IEnumerable<Endpoint> endpoints)
    {
        var doors = new List<Door>();
        foreach (var endpoint in endpoints.OfType<RouteEndpoint>())
        {
            var route = "/" + (endpoint.RoutePattern.RawText ?? "").Trim('/');
            var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy ?? a.Roles ?? "(default)").Distinct().ToList();
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods is { Count: > 0 } given ? given : ["GET"];
            foreach (var method in methods)
            {
                doors.Add(new Door(method, route, policies.Count == 0 ? null : string.Join("+", policies), anonymous, endpoint.DisplayName ?? route)
                {
                    Path = Fill(endpoint),
                    ContentType = endpoint.Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes is [var accepted, ..] ? accepted : "application/json",
                });
            }
        }

        return doors;
    }

    /// <summary>Endpoints that state no policy and are not deliberately anonymous: each is a door left open.</summary>
    public static IReadOnlyList<Door> Unguarded(IEnumerable<Door> doors, IReadOnlyDictionary<string, string> allowedAnonymous) =>
        doors.Where(d => d.Policy is null && !allowedAnonymous.ContainsKey(d.Route)).ToList();

    /// <summary>Doors marked anonymous that the allow-list does not name (an AllowAnonymous added without saying why).</summary>
    public static IReadOnlyList<Door> UnexplainedAnonymous(IEnumerable<Door> doors, IReadOnlyDictionary<string, string> allowedAnonymous) =>
        doors.Where(d => d.Anonymous && !allowedAnonymous.ContainsKey(d.Route)).ToList();

    public static async Task<PolicyAudience> AudienceAsync(IServiceProvider services, string policyName)
    {
        var policy = await services.GetRequiredService<IAuthorizationPolicyProvider>().GetPolicyAsync(policyName)
            ?? throw new InvalidOperationException($"Policy {policyName} is not defined.");
        var roles = policy.Requirements.OfType<RolesAuthorizationRequirement>().SelectMany(r => r.AllowedRoles).ToHashSet(StringComparer.Ordinal);
        var scopes = policy.Requirements.OfType<ClaimsAuthorizationRequirement>().Where(r => r.ClaimType == "scope").SelectMany(r => r.AllowedValues ?? []).ToHashSet(StringComparer.Ordinal);
        return new PolicyAudience(roles.Count == 0 ? null : roles, scopes.Count == 0 ? null : scopes);
    }

    /// <summary>Every public method a client can invoke on each hub of <paramref name="assembly"/>, with the policy it is held to (its own, else its hub's).</summary>
    public static IReadOnlyList<(Type Hub, MethodInfo Method, string? Policy)> HubMethods(Assembly assembly) =>
        [.. assembly.GetTypes()
            .Where(type => !type.IsAbstract && typeof(Hub).IsAssignableFrom(type))
            .SelectMany(hub => hub.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Where(method => !method.IsSpecialName && method.Name is not (nameof(Hub.OnConnectedAsync) or nameof(Hub.OnDisconnectedAsync)))
                .Select(method => (hub, method, (method.GetCustomAttribute<AuthorizeAttribute>() ?? hub.GetCustomAttribute<AuthorizeAttribute>())?.Policy)))];

    private static string Fill(RouteEndpoint endpoint)
    {
        var parts = new List<string>();
        foreach (var segment in endpoint.RoutePattern.PathSegments)
        {
            var text = "";
            foreach (var part in segment.Parts)
            {
                text += part switch
                {
                    Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
                    Microsoft.AspNetCore.Routing.Patterns.RoutePatternSeparatorPart separator => separator.Content,
                    Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart parameter => ValueFor(parameter),
                    _ => "",
                };
            }

            parts.Add(text);
        }

        return "/" + string.Join("/", parts);
    }

    private static string ValueFor(Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart parameter)
    {
        var constraints = string.Join(",", parameter.ParameterPolicies.Select(p => p.Content ?? p.ParameterPolicy?.GetType().Name ?? ""));
        return constraints.Contains("guid", StringComparison.OrdinalIgnoreCase) ? Guid.NewGuid().ToString()
            : constraints.Contains("int", StringComparison.OrdinalIgnoreCase) || constraints.Contains("long", StringComparison.OrdinalIgnoreCase) ? "1"
            : constraints.Contains("datetime", StringComparison.OrdinalIgnoreCase) ? "2026-01-01"
            : parameter.Name == "documentName" ? "v1"
            : "x";
    }
}
