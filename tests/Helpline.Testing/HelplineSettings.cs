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

    /// <summary>A key for Console's Data Protection key ring at rest (32 random bytes, base64), new for each test run.</summary>
    public static readonly string KeyEncryptionKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

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
            ["DataProtection:KeyEncryptionKey"] = KeyEncryptionKey,
            ["Accounts:BootstrapAdminUserName"] = TestAccounts.AdminUserName,
            ["Accounts:BootstrapAdminPassword"] = TestAccounts.Password,
            // Every test signs in and reads the hours from 127.0.0.1; the limits' own tests set them low.
            ["SignInLimits:PerClient"] = "100000",
            ["RateLimits:PermitsPerWindow"] = "100000",
            ["Outbox:PollInterval"] = "00:00:00.500",
            ["Outbox:MaxRetryDelay"] = "00:00:01",
            ["Outbox:PublishTimeout"] = "00:00:10",
        };
    }

    /// <summary>
    /// Intake open round the clock, bank holidays included, so calls posted with the real clock are queued
    /// whenever the tests run. Tests of the opening hours themselves use the defaults (the published hours).
    /// </summary>
    public static IReadOnlyDictionary<string, string?> AlwaysOpen { get; } =
        Enum.GetValues<DayOfWeek>()
            .ToDictionary(day => $"OpeningHours:{day}", _ => (string?)"00:00-24:00")
            .Append(new KeyValuePair<string, string?>("OpeningHours:OpenOnBankHolidays", "true"))
            .ToDictionary();

    /// <summary><see cref="For"/> with Intake <see cref="AlwaysOpen"/>.</summary>
    public static Dictionary<string, string?> AlwaysOpenFor(TestDatabase database, TestVirtualHost virtualHost)
    {
        var settings = For(database, virtualHost);
        foreach (var (key, value) in AlwaysOpen)
        {
            settings[key] = value;
        }

        return settings;
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
