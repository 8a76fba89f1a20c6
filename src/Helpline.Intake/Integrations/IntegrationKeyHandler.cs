using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Helpline.Intake.Integrations;

/// <summary>
/// Authenticates an integration by its key, sent as <c>Authorization: Bearer hlk_…</c>. The key is
/// checked against the database on every request, so a revoked key is refused at once. A refusal is a
/// problem-details 401 (no key, or not a current one) or 403 (a key without the endpoint's scope),
/// answered before the body is read: a refused request changes nothing.
/// </summary>
internal sealed partial class IntegrationKeyHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IntegrationKeys keys,
    IntakeMetrics metrics,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "IntegrationKey";
    private const string BearerPrefix = "Bearer ";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.Fail("The Authorization header must be 'Bearer' and an integration key.");
        }

        if (await keys.FindAsync(header[BearerPrefix.Length..].Trim(), Context.RequestAborted) is not { } key)
        {
            return AuthenticateResult.Fail("The integration key is not a current key: it is mistyped, unknown or revoked.");
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, key.Id.ToString()), new Claim(ClaimTypes.Name, key.Name), .. key.Scopes.Select(scope => new Claim(IntegrationScopes.ClaimType, scope))],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var detail = result.Failure?.Message ?? "Send the integration's key as 'Authorization: Bearer hlk_…' (an admin creates one with: Helpline.Intake integration-key create).";
        metrics.RequestRejected("unauthenticated");
        LogRefused(Logger, Request.Path, StatusCodes.Status401Unauthorized);
        Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer";
        await WriteProblemAsync(StatusCodes.Status401Unauthorized, "An integration key is required.", detail);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        metrics.RequestRejected("forbidden");
        LogRefused(Logger, Request.Path, StatusCodes.Status403Forbidden);
        await WriteProblemAsync(
            StatusCodes.Status403Forbidden,
            "This integration key may not do this.",
            $"The key's scopes do not include the one this endpoint needs ({string.Join(", ", IntegrationScopes.All)}); an admin creates a key with the scopes it needs.");
    }

    private async Task WriteProblemAsync(int status, string title, string detail)
    {
        Response.StatusCode = status;
        // Try: for a caller whose Accept excludes JSON no writer can, and the refusal is its status alone, not a 500.
        _ = await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a request to {Path} with {Status}: no current integration key with the scope it needs")]
    private static partial void LogRefused(ILogger logger, PathString path, int status);
}
