using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using Helpline.Console.Data;
using Helpline.ServiceDefaults;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helpline.Console.Advisors;

/// <summary>
/// Development-only sign-in until real accounts exist (issue #5): the advisor names themselves in
/// the <c>X-Dev-Advisor</c> header (or <c>dev-advisor</c> query parameter, for browsers' WebSockets)
/// and is created on first use with calls and emails; <c>X-Dev-Roles</c> (<c>Advisor</c>,
/// <c>Supervisor</c>, comma-separated) sets the roles, Advisor by default. Registered only in the Development
/// environment; elsewhere <see cref="NoSignInHandler"/> refuses everyone.
/// </summary>
internal sealed partial class DevelopmentSignInHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ConsoleDbContext db,
    TimeProvider time) : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "DevelopmentAdvisor";
    public const string Header = "X-Dev-Advisor";
    public const string QueryParameter = "dev-advisor";
    public const string RolesHeader = "X-Dev-Roles";
    private static readonly string[] KnownRoles = ["Advisor", "Supervisor"];

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? name = Request.Headers[Header];
        name ??= Request.Query[QueryParameter];
        if (string.IsNullOrEmpty(name))
        {
            return AuthenticateResult.NoResult();
        }

        if (!UserNamePattern().IsMatch(name))
        {
            return AuthenticateResult.Fail("An advisor name is 1 to 64 lower-case letters, digits, dots, dashes or underscores.");
        }

        var roles = Request.Headers[RolesHeader].ToString() is { Length: > 0 } requested
            ? requested.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            : ["Advisor"];
        if (roles.Any(role => !KnownRoles.Contains(role, StringComparer.Ordinal)))
        {
            return AuthenticateResult.Fail($"Roles are {string.Join(" and ", KnownRoles)}.");
        }

        var advisor = await FindOrCreateAsync(name);
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, advisor.ToString()), new Claim(ClaimTypes.Name, name), .. roles.Select(role => new Claim(ClaimTypes.Role, role))],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    private async Task<Guid> FindOrCreateAsync(string name)
    {
        var existing = await db.Advisors.Where(a => a.UserName == name).Select(a => (Guid?)a.Id).SingleOrDefaultAsync(Context.RequestAborted);
        if (existing is { } id)
        {
            return id;
        }

        var now = time.GetUtcNow();
        var advisor = new Advisor { Id = Guid.CreateVersion7(now), UserName = name, CallEndpoint = $"client:{name}", CreatedAt = now };
        db.Advisors.Add(advisor);
        try
        {
            await db.SaveChangesAsync(Context.RequestAborted);
            return advisor.Id;
        }
        catch (DbUpdateException exception) when (exception.IsUniqueViolation())
        {
            db.ChangeTracker.Clear();
            return await db.Advisors.Where(a => a.UserName == name).Select(a => a.Id).SingleAsync(Context.RequestAborted);
        }
    }

    [GeneratedRegex("^[a-z0-9._-]{1,64}$")]
    private static partial Regex UserNamePattern();
}

/// <summary>Outside Development, until accounts exist (issue #5), nobody is signed in: every hub connection gets 401.</summary>
internal sealed class NoSignInHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder) : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "NoSignIn";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync() => Task.FromResult(AuthenticateResult.NoResult());
}
