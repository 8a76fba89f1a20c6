using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Helpline.Console.Audit;
using Helpline.Console.Data;
using Helpline.ServiceDefaults;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helpline.Console.Accounts;

/// <summary>Signing in and out. There is no self-registration: admins create accounts.</summary>
internal static class AccountEndpoints
{
    private const int MaxTokenLength = 8192;

    public static async Task<Results<EmptyHttpResult, ProblemHttpResult>> Login(LoginRequest login, bool? useCookies, SignInManager<HelplineUser> signIn, SignInThrottle throttle, AuditTrail audit, HttpContext context, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(login.UserName) || string.IsNullOrEmpty(login.Password) || login.UserName.Length > 64 || login.Password.Length > 256)
        {
            return TypedResults.Problem("Give a user name and a password.", statusCode: StatusCodes.Status400BadRequest, title: "Sign-in is not valid.");
        }

        if (throttle.Wait(login.UserName, context) is { } wait)
        {
            await TooManyRequests.WriteAsync(context, wait, "Too many wrong passwords for this account from this address.");
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
    /// A new access token and a new refresh token (<see cref="AccessTokenResponse"/>) for a refresh token
    /// of a session that has not ended: refused (401) when it does not unprotect, has expired, or its
    /// security stamp is no longer the account's (signed out, password changed, disabled). Each refresh
    /// token is single-use (<see cref="UsedRefreshToken"/>): presenting one again is refused and, as only
    /// a copy could do that, ends every session of the account, the thief's and the owner's.
    /// </summary>
    public static async Task<Results<SignInHttpResult, ProblemHttpResult>> Refresh(
        RefreshRequest request,
        IOptionsMonitor<BearerTokenOptions> bearer,
        SignInManager<HelplineUser> signIn,
        ConsoleDbContext db,
        SessionRevocation sessions,
        AuditTrail audit,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var ticket = request.RefreshToken is { Length: > 0 and <= MaxTokenLength } token
            ? bearer.Get(IdentityConstants.BearerScheme).RefreshTokenProtector.Unprotect(token)
            : null;
        var now = time.GetUtcNow();
        if (ticket?.Properties.ExpiresUtc is not { } expires
            || now >= expires
            || await signIn.ValidateSecurityStampAsync(ticket.Principal) is not { } user
            || await signIn.UserManager.IsLockedOutAsync(user))
        {
            return RefreshRefused();
        }

        await db.UsedRefreshTokens.Where(t => t.UserId == user.Id && t.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
        var used = db.UsedRefreshTokens.Add(new UsedRefreshToken { TokenHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(request.RefreshToken))), UserId = user.Id, ExpiresAt = expires });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.IsUniqueViolation())
        {
            // Only the refused row goes: the account stays tracked for the revocation that updates it.
            used.State = EntityState.Detached;
            await sessions.RevokeAsync(user, stampChanged: false, cancellationToken);
            await audit.RecordAsync("account.refresh.reused", target: user.Id.ToString(), detail: "a used refresh token came back: every session of the account ended", cancellationToken: cancellationToken);
            return RefreshRefused();
        }

        return TypedResults.SignIn(await signIn.CreateUserPrincipalAsync(user), authenticationScheme: IdentityConstants.BearerScheme);
    }

    private static ProblemHttpResult RefreshRefused() =>
        TypedResults.Problem("The session has ended: sign in again.", statusCode: StatusCodes.Status401Unauthorized, title: "Refresh refused");

    /// <summary>
    /// Ends the session: the cookie is removed and every session of the account ends
    /// (<see cref="SessionRevocation"/>): cookies, bearer and refresh tokens issued before are refused,
    /// an advisor goes Offline (deferred while on a contact) and every hub connection of theirs closes.
    /// </summary>
    public static async Task<NoContent> Logout(ClaimsPrincipal principal, SignInManager<HelplineUser> signIn, SessionRevocation sessions, CancellationToken cancellationToken)
    {
        if (await signIn.UserManager.GetUserAsync(principal) is { } user)
        {
            await sessions.RevokeAsync(user, stampChanged: false, cancellationToken);
        }

        await signIn.SignOutAsync();
        return TypedResults.NoContent();
    }

    /// <summary>
    /// Changes the signed-in account's own password, then ends every session of the account as signing
    /// out does. A wrong current password counts against the sign-in throttle of (account, client address).
    /// </summary>
    public static async Task<Results<NoContent, ValidationProblem, EmptyHttpResult>> ChangePassword(
        PasswordChange change,
        ClaimsPrincipal principal,
        SignInManager<HelplineUser> signIn,
        SignInThrottle throttle,
        SessionRevocation sessions,
        AuditTrail audit,
        HttpContext context,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(change.CurrentPassword) || string.IsNullOrEmpty(change.NewPassword) || change.CurrentPassword.Length > 256 || change.NewPassword.Length > 256)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["newPassword"] = ["Give the current password and a new one (12 to 256 characters)."] }, title: "The change is not valid.");
        }

        var user = await signIn.UserManager.GetUserAsync(principal) ?? throw new InvalidOperationException("The SignedIn policy let an unknown account through.");
        if (throttle.Wait(user.UserName!, context) is { } wait)
        {
            await TooManyRequests.WriteAsync(context, wait, "Too many wrong passwords for this account from this address.");
            return TypedResults.Empty;
        }

        var result = await signIn.UserManager.ChangePasswordAsync(user, change.CurrentPassword, change.NewPassword);
        if (!result.Succeeded)
        {
            if (result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.PasswordMismatch)))
            {
                throttle.Failed(user.UserName!, context);
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["currentPassword"] = ["The current password is wrong."] }, title: "The change is not valid.");
            }

            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["newPassword"] = result.Errors.Select(e => e.Description).ToArray() }, title: "The change is not valid.");
        }

        await audit.RecordAsync("account.password.changed", target: user.Id.ToString(), cancellationToken: cancellationToken);
        await sessions.RevokeAsync(user, stampChanged: true, cancellationToken);
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

internal sealed record RefreshRequest(string RefreshToken);

internal sealed record PasswordChange(string CurrentPassword, string NewPassword);

internal sealed record SignedInUser(Guid UserId, string UserName, IReadOnlyList<string> Roles);

internal sealed record AntiforgeryToken(string HeaderName, string Token);
