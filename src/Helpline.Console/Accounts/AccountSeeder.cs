using Helpline.Console.Advisors;
using Helpline.Console.Data;
using Helpline.ServiceDefaults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helpline.Console.Accounts;

/// <summary>
/// Makes sure the roles exist and, when configured, the first admin. Used at start (several
/// instances may race: the loser finds the row there) and by the <c>create-admin</c> command.
/// </summary>
internal sealed partial class AccountSeeder(
    UserManager<HelplineUser> users,
    RoleManager<IdentityRole<Guid>> roles,
    ConsoleDbContext db,
    TimeProvider time,
    ILogger<AccountSeeder> logger)
{
    public async Task EnsureRolesAsync()
    {
        foreach (var role in Roles.All)
        {
            if (await roles.RoleExistsAsync(role))
            {
                continue;
            }

            try
            {
                await roles.CreateAsync(new IdentityRole<Guid>(role) { Id = Guid.CreateVersion7(time.GetUtcNow()) });
            }
            catch (DbUpdateException exception) when (exception.IsUniqueViolation())
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>Creates a user with the given roles (and, for an advisor, a routing profile); null and the errors when Identity refuses.</summary>
    public async Task<(HelplineUser? User, IReadOnlyList<IdentityError> Errors)> CreateAsync(string userName, string password, IReadOnlyCollection<string> userRoles, Advisor? profile = null)
    {
        await EnsureRolesAsync();
        var user = new HelplineUser { Id = Guid.CreateVersion7(time.GetUtcNow()), UserName = userName };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            return (null, created.Errors.ToList());
        }

        await users.AddToRolesAsync(user, userRoles);
        if (userRoles.Contains(Roles.Advisor))
        {
            db.Advisors.Add(new Advisor
            {
                Id = user.Id,
                UserName = userName,
                Skills = profile?.Skills ?? Helpline.Routing.Skills.CallsAndEmails,
                EmailCapacity = profile?.EmailCapacity ?? 3,
                CallEndpoint = profile?.CallEndpoint ?? $"client:{userName}",
                CreatedAt = time.GetUtcNow(),
            });
            await db.SaveChangesAsync();
        }

        LogCreated(logger, user.Id, userRoles);
        return (user, []);
    }

    public async Task EnsureAdminAsync(string userName, string password)
    {
        if (await users.FindByNameAsync(userName) is not null)
        {
            return;
        }

        try
        {
            var (_, errors) = await CreateAsync(userName, password, [Roles.Admin, Roles.Supervisor]);
            if (errors.Count > 0)
            {
                throw new InvalidOperationException("The admin could not be created: " + string.Join(" ", errors.Select(e => e.Description)));
            }
        }
        catch (DbUpdateException exception) when (exception.IsUniqueViolation())
        {
            db.ChangeTracker.Clear();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} created with roles {Roles}")]
    private static partial void LogCreated(ILogger logger, Guid userId, IReadOnlyCollection<string> roles);
}

/// <summary>Seeds roles, and the bootstrap admin when configured, as the service starts.</summary>
internal sealed class AccountSeedingService(IServiceScopeFactory scopes, IOptions<AccountOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var seeder = scope.ServiceProvider.GetRequiredService<AccountSeeder>();
        await seeder.EnsureRolesAsync();
        if (options.Value is { BootstrapAdminUserName: { Length: > 0 } name, BootstrapAdminPassword: { Length: > 0 } password })
        {
            await seeder.EnsureAdminAsync(name, password);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
