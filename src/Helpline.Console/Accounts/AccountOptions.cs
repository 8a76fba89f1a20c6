namespace Helpline.Console.Accounts;

/// <summary>Section <c>Accounts</c>: an optional first admin created at start when no user of that name exists.</summary>
internal sealed class AccountOptions
{
    public const string Section = "Accounts";

    public string? BootstrapAdminUserName { get; set; }

    public string? BootstrapAdminPassword { get; set; }
}
