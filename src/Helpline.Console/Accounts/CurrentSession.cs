using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Identity;

namespace Helpline.Console.Accounts;

/// <summary>
/// The credential belongs to the account's current session: its security stamp is still the
/// account's. Signing out and disabling change the stamp, so a bearer token or cookie issued before
/// is refused here at once (Identity itself rechecks cookies only every 30 minutes).
/// </summary>
internal sealed class CurrentSessionRequirement : IAuthorizationRequirement;

internal sealed class CurrentSessionHandler(SignInManager<HelplineUser> signIn) : AuthorizationHandler<CurrentSessionRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, CurrentSessionRequirement requirement)
    {
        if (context.User.Identity?.IsAuthenticated == true && await signIn.ValidateSecurityStampAsync(context.User) is not null)
        {
            context.Succeed(requirement);
        }
    }
}

/// <summary>
/// A credential of a session that has ended is answered like no credential at all (401: sign in
/// again), not like a wrong role (403).
/// </summary>
internal sealed class EndedSessionChallenge : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult) =>
        authorizeResult.Forbidden && authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<CurrentSessionRequirement>().Any() == true
            ? context.ChallengeAsync()
            : _default.HandleAsync(next, context, policy, authorizeResult);
}
