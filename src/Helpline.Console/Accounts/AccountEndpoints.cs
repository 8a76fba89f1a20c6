using System.Security.Claims;
using Helpline.Console.Accounts;
using Helpline.Console.Advisors;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Microsoft.Extensions.Hosting;

/// <summary>Signing in and out. There is no self-registration: admins create accounts.</summary>
internal static class AccountEndpoints
{
    public static void MapAccountEndpoints(this WebApplication app)
    {
        var account = app.MapGroup("/api/account").WithTags("Account");
        account.MapPost("/login", Login)
            .AllowAnonymous()
            .WithName("Login")
            .WithSummary("Sign in: a session cookie with useCookies=true (browsers), else a bearer token")
            .WithDescription("Five failed attempts lock the account for 15 minutes.");
        account.MapPost("/logout", Logout).RequireAuthorization().WithName("Logout")
            .WithSummary("Sign out: ends every session of the account; an advisor goes Offline and their hub connections close");
        account.MapGet("/me", CurrentUser).RequireAuthorization().WithName("Me").WithSummary("Who is signed in, with their roles");
        account.MapGet("/antiforgery", AntiforgeryToken).RequireAuthorization().WithName("Antiforgery")
            .WithSummary("The anti-forgery token a browser sends in X-XSRF-TOKEN with every change");
    }

    public static async Task<Results<EmptyHttpResult, ProblemHttpResult>> Login(LoginRequest login, bool? useCookies, SignInManager<HelplineUser> signIn)
    {
        ArgumentNullException.ThrowIfNull(login);
        ArgumentNullException.ThrowIfNull(signIn);
        if (string.IsNullOrWhiteSpace(login.UserName) || string.IsNullOrEmpty(login.Password) || login.UserName.Length > 64 || login.Password.Length > 256)
        {
            return TypedResults.Problem("Give a user name and a password.", statusCode: StatusCodes.Status400BadRequest, title: "Sign-in is not valid.");
        }

        signIn.AuthenticationScheme = useCookies == true ? IdentityConstants.ApplicationScheme : IdentityConstants.BearerScheme;
        var result = await signIn.PasswordSignInAsync(login.UserName, login.Password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            return TypedResults.Empty;
        }

        return result.IsLockedOut
            ? TypedResults.Problem("Too many failed attempts: try again later or ask an admin.", statusCode: StatusCodes.Status401Unauthorized, title: "Locked out")
            : TypedResults.Problem("The user name or password is wrong.", statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed");
    }

    /// <summary>
    /// Ends the session: the cookie is removed and the account's security stamp changes, so cookies and
    /// bearer tokens issued before are refused by the hub. An advisor goes Offline (deferred while on a
    /// contact) and every hub connection of theirs closes.
    /// </summary>
    public static async Task<NoContent> Logout(ClaimsPrincipal principal, SignInManager<HelplineUser> signIn, AdvisorSessions advisors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(signIn);
        ArgumentNullException.ThrowIfNull(advisors);
        if (await signIn.UserManager.GetUserAsync(principal) is { } user)
        {
            await signIn.UserManager.UpdateSecurityStampAsync(user);
            if (principal.IsInRole(Roles.Advisor))
            {
                await advisors.EndAsync(user.Id, cancellationToken);
            }
        }

        await signIn.SignOutAsync();
        return TypedResults.NoContent();
    }

    public static Ok<SignedInUser> CurrentUser(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return TypedResults.Ok(new SignedInUser(
            Guid.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)!),
            user.Identity!.Name!,
            user.FindAll(ClaimTypes.Role).Select(c => c.Value).Order(StringComparer.Ordinal).ToList()));
    }

    public static Ok<AntiforgeryToken> AntiforgeryToken(HttpContext context, IAntiforgery antiforgery)
    {
        ArgumentNullException.ThrowIfNull(antiforgery);
        var tokens = antiforgery.GetAndStoreTokens(context);
        return TypedResults.Ok(new AntiforgeryToken(tokens.HeaderName!, tokens.RequestToken!));
    }
}

public sealed record LoginRequest(string UserName, string Password);

public sealed record SignedInUser(Guid UserId, string UserName, IReadOnlyList<string> Roles);

public sealed record AntiforgeryToken(string HeaderName, string Token);
