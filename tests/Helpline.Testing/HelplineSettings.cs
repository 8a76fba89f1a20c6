using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;

namespace Helpline.Testing;

/// <summary>Configuration for a service under test: its database and virtual host, short timers.</summary>
public static class HelplineSettings
{
    /// <summary>A key for caller hashes (32 random bytes, base64), new for each test run: no key is committed.</summary>
    public static readonly string CallerHashKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>A key for personal data encrypted at rest (32 random bytes, base64), new for each test run.</summary>
    public static readonly string FieldEncryptionKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static Dictionary<string, string?> For(TestDatabase database, TestVirtualHost virtualHost)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(virtualHost);
        return new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = database.ConnectionString,
            ["ConnectionStrings:RabbitMq"] = virtualHost.ConnectionString,
            ["CallerIdentity:HashKey"] = CallerHashKey,
            ["FieldEncryption:Key"] = FieldEncryptionKey,
            ["Accounts:BootstrapAdminUserName"] = TestAccounts.AdminUserName,
            ["Accounts:BootstrapAdminPassword"] = TestAccounts.Password,
            // Every test signs in from 127.0.0.1; the limits' own test sets them low.
            ["SignInLimits:PerClient"] = "100000",
            ["Outbox:PollInterval"] = "00:00:00.500",
            ["Outbox:MaxRetryDelay"] = "00:00:01",
            ["Outbox:PublishTimeout"] = "00:00:10",
        };
    }

    /// <summary>Applies a service's migrations to the test database, as the run command does.</summary>
    public static async Task MigrateAsync<TContext>(this TestDatabase database, string schema, Func<DbContextOptions<TContext>, TContext> create)
        where TContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(create);
        var options = new DbContextOptionsBuilder<TContext>();
        options.UseHelplinePostgres(database.ConnectionString, schema);
        await using var context = create(options.Options);
        await context.Database.MigrateAsync();
    }
}
