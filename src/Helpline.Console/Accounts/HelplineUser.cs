using Microsoft.AspNetCore.Identity;

namespace Helpline.Console.Accounts;

/// <summary>A person who signs in to Console: an advisor, a supervisor, an admin (or several of those).</summary>
public sealed class HelplineUser : IdentityUser<Guid>;

/// <summary>The roles, and the authorisation policy of the same name for each.</summary>
internal static class Roles
{
    public const string Advisor = "Advisor";
    public const string Supervisor = "Supervisor";
    public const string Admin = "Admin";

    public static readonly IReadOnlyList<string> All = [Advisor, Supervisor, Admin];
}
