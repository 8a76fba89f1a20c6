using Helpline.Console.Accounts;

namespace Microsoft.Extensions.Hosting;

internal static class AccountCommand
{
    public const string PasswordVariable = "HELPLINE_ADMIN_PASSWORD";

    /// <summary>
    /// <c>create-admin NAME</c>: creates the first admin (also a supervisor) with the password in
    /// the <c>HELPLINE_ADMIN_PASSWORD</c> environment variable, then exits. Does nothing if the
    /// account exists. Returns false for any other arguments.
    /// </summary>
    public static async Task<bool> RunAccountCommandAsync(this WebApplication app, string[] args)
    {
        if (args is not ["create-admin", var userName])
        {
            return false;
        }

        var password = Environment.GetEnvironmentVariable(PasswordVariable);
        if (string.IsNullOrEmpty(password))
        {
            throw new InvalidOperationException($"Set {PasswordVariable} to the new admin's password.");
        }

        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AccountSeeder>().EnsureAdminAsync(userName, password);
        return true;
    }
}
