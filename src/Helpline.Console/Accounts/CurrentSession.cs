using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;

namespace Helpline.Console.Accounts;

/// <summary>
/// The credential belongs to the account's current session: its security stamp is still the
/// account's. Signing out and disabling change the stamp, so a bearer token or cookie issued before
/// is refused here at once (Identity itself rechecks cookies only every 30 minutes).
/// </summary>
public sealed class CurrentSessionRequirement : IAuthorizationRequirement;

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
