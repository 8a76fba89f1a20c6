using System.Security.Claims;
using Helpline.Console.Advisors;
using Helpline.Console.Audit;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Helpline.Console.Accounts;

/// <summary>Signing in and out. There is no self-registration: admins create accounts.</summary>
internal static class AccountEndpoints
{
    public static async Task<Results<EmptyHttpResult, ProblemHttpResult>> Login(LoginRequest login, bool? useCookies, SignInManager<HelplineUser> signIn, SignInThrottle throttle, AuditTrail audit, HttpContext context, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(login.UserName) || string.IsNullOrEmpty(login.Password) || login.UserName.Length > 64 || login.Password.Length > 256)
        {
            return TypedResults.Problem("Give a user name and a password.", statusCode: StatusCodes.Status400BadRequest, title: "Sign-in is not valid.");
        }

        if (throttle.Wait(login.UserName, context) is { } wait)
        {
            await SignInThrottle.TooManyAsync(context, wait, "Too many wrong passwords for this account from this address.");
            return TypedResults.Empty;
        }

        signIn.AuthenticationScheme = useCookies == true ? IdentityConstants.ApplicationScheme : IdentityConstants.BearerScheme;
        var result = await signIn.PasswordSignInAsync(login.UserName, login.Password, isPersistent: false, lockoutOnFailure: false);

        // The account's id, never the name typed: a mistyped user name is sometimes the password.
        var account = (await signIn.UserManager.FindByNameAsync(login.UserName))?.Id.ToString();
        await audit.RecordAsync(result.Succeeded ? "SignedIn" : "SignInFailed", target: account, detail: account is null ? "unknown account" : null, cancellationToken: cancellationToken);
        if (result.Succeeded)
        {
            return TypedResults.Empty;
        }

        if (!result.IsLockedOut)
        {
            throttle.Failed(login.UserName, context);
        }

        return result.IsLockedOut
            ? TypedResults.Problem("The account is disabled: ask an admin.", statusCode: StatusCodes.Status401Unauthorized, title: "Locked out")
            : TypedResults.Problem("The user name or password is wrong.", statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed");
    }

    /// <summary>
    /// Ends the session: the cookie is removed and the account's security stamp changes, so cookies and
    /// bearer tokens issued before are refused by the hub. An advisor goes Offline (deferred while on a
    /// contact) and every hub connection of theirs closes.
    /// </summary>
    public static async Task<NoContent> Logout(ClaimsPrincipal principal, SignInManager<HelplineUser> signIn, AdvisorSessions advisors, CancellationToken cancellationToken)
    {
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
        return TypedResults.Ok(new SignedInUser(
            Guid.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)!),
            user.Identity!.Name!,
            user.FindAll(ClaimTypes.Role).Select(c => c.Value).Order(StringComparer.Ordinal).ToList()));
    }

    public static Ok<AntiforgeryToken> AntiforgeryToken(HttpContext context, IAntiforgery antiforgery)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        return TypedResults.Ok(new AntiforgeryToken(tokens.HeaderName!, tokens.RequestToken!));
    }
}

internal sealed record LoginRequest(string UserName, string Password);

internal sealed record SignedInUser(Guid UserId, string UserName, IReadOnlyList<string> Roles);

internal sealed record AntiforgeryToken(string HeaderName, string Token);
