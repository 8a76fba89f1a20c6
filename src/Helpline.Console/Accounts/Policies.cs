using Microsoft.AspNetCore.Authorization;

namespace Helpline.Console.Accounts;

/// <summary>
/// The authorization policies, one per role (and one for the roles that read contact records). Every
/// endpoint and hub names one. Each requires the role AND a credential of the account's current
/// session (<see cref="CurrentSessionRequirement"/>): a cookie or bearer token issued before the
/// account signed out or was disabled is refused at once.
/// </summary>
internal static class Policies
{
    public const string Advisor = Roles.Advisor;
    public const string Supervisor = Roles.Supervisor;
    public const string Admin = Roles.Admin;

    /// <summary>Advisors and supervisors: reading contact records, the questionnaire, a caller's history.</summary>
    public const string AdvisorOrSupervisor = "AdvisorOrSupervisor";

    /// <summary>Supervisors and admins: the directory's history and exports.</summary>
    public const string SupervisorOrAdmin = "SupervisorOrAdmin";

    /// <summary>Advisors, supervisors and admins: reading the directory of services.</summary>
    public const string AnyRole = "AnyRole";

    /// <summary>Any account, whatever its roles: who am I, the anti-forgery token, signing out.</summary>
    public const string SignedIn = "SignedIn";

    public static AuthorizationBuilder AddHelplinePolicies(this AuthorizationBuilder policies) =>
        policies
            .AddPolicy(Advisor, policy => CurrentSession(policy).RequireRole(Roles.Advisor))
            .AddPolicy(Supervisor, policy => CurrentSession(policy).RequireRole(Roles.Supervisor))
            .AddPolicy(Admin, policy => CurrentSession(policy).RequireRole(Roles.Admin))
            .AddPolicy(AdvisorOrSupervisor, policy => CurrentSession(policy).RequireRole(Roles.Advisor, Roles.Supervisor))
            .AddPolicy(SupervisorOrAdmin, policy => CurrentSession(policy).RequireRole(Roles.Supervisor, Roles.Admin))
            .AddPolicy(AnyRole, policy => CurrentSession(policy).RequireRole(Roles.Advisor, Roles.Supervisor, Roles.Admin))
            .AddPolicy(SignedIn, policy => CurrentSession(policy));

    private static AuthorizationPolicyBuilder CurrentSession(AuthorizationPolicyBuilder policy) =>
        policy.RequireAuthenticatedUser().AddRequirements(new CurrentSessionRequirement());
}
