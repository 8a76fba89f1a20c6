using Helpline.Console.Data;
using Helpline.Intake.Data;
using Helpline.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Helpline.EndToEnd.Tests.Deploy;

/// <summary>
/// The services' own PostgreSQL roles, created by deploy/postgres/roles.sql (the script run.sh and the compose
/// postgres container run), against the real test server: each service migrates its schema as its role and
/// owns what it creates; neither reads nor writes the other's schema, nor creates anything in public. The test
/// server trusts loopback connections, so this proves rights, not passwords (run.sh's server asks for them).
/// </summary>
public sealed class RoleRightsTests
{
    private const string InsufficientPrivilege = "42501";

    [Fact]
    public async Task Each_service_role_works_in_its_own_schema_only()
    {
        await using var database = TestDatabase.Create("roles");
        await CreateDatabaseAsync(database);
        await RunRolesScriptAsync(database);
        await RunRolesScriptAsync(database);
        var intake = As(database, "helpline_intake");
        var console = As(database, "helpline_console");

        await MigrateAsync<IntakeDbContext>(intake, IntakeDbContext.Schema, options => new IntakeDbContext(options));
        await MigrateAsync<ConsoleDbContext>(console, ConsoleDbContext.Schema, options => new ConsoleDbContext(options));

        Assert.Equal("helpline_intake helpline_console", await database.TextAsync(
            "SELECT string_agg(DISTINCT pg_get_userbyid(c.relowner), ' ' ORDER BY pg_get_userbyid(c.relowner) DESC) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname IN ('intake', 'console')"));
        Assert.Equal(0, await database.CountAsync(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname IN ('intake', 'console') AND pg_get_userbyid(c.relowner) <> 'helpline_' || n.nspname"));
        Assert.Equal(0, await database.CountAsync("SELECT count(*) FROM pg_roles WHERE rolname LIKE 'helpline\\_%' AND (rolsuper OR rolcreatedb OR rolcreaterole OR rolbypassrls)"));

        // Each in its own schema: read, write, create.
        await ExecuteAsync(intake, "SELECT count(*) FROM intake.inbound_calls; CREATE TABLE intake.probe (id int); INSERT INTO intake.probe VALUES (1); DROP TABLE intake.probe");
        await ExecuteAsync(console, "SELECT count(*) FROM console.contacts; CREATE TABLE console.probe (id int); INSERT INTO console.probe VALUES (1); DROP TABLE console.probe");

        // Intake cannot read or write Console's schema; Console cannot read or write Intake's.
        await AssertDeniedAsync(intake, "SELECT count(*) FROM console.contacts");
        await AssertDeniedAsync(intake, "DELETE FROM console.audit_entries");
        await AssertDeniedAsync(intake, "CREATE TABLE console.intruder (id int)");
        await AssertDeniedAsync(console, "SELECT count(*) FROM intake.inbound_calls");
        await AssertDeniedAsync(console, "UPDATE intake.inbound_calls SET state = state");
        await AssertDeniedAsync(console, "DELETE FROM intake.integration_keys");
        await AssertDeniedAsync(console, "CREATE TABLE intake.intruder (id int)");

        // Neither creates anything in public, nor roles, nor databases.
        foreach (var role in new[] { intake, console })
        {
            await AssertDeniedAsync(role, "CREATE TABLE public.intruder (id int)");
            await AssertDeniedAsync(role, "CREATE ROLE intruder");
            await AssertDeniedAsync(role, "CREATE DATABASE intruder");
        }
    }

    [Fact]
    public async Task A_database_migrated_as_the_superuser_is_handed_to_the_roles()
    {
        await using var database = TestDatabase.Create("roles");
        await database.MigrateAsync<IntakeDbContext>(IntakeDbContext.Schema, options => new IntakeDbContext(options));
        await database.MigrateAsync<ConsoleDbContext>(ConsoleDbContext.Schema, options => new ConsoleDbContext(options));

        await RunRolesScriptAsync(database);

        Assert.Equal(0, await database.CountAsync(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname IN ('intake', 'console') AND pg_get_userbyid(c.relowner) <> 'helpline_' || n.nspname"));
        Assert.Equal(0, await database.CountAsync(
            "SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname IN ('intake', 'console') AND pg_get_userbyid(p.proowner) <> 'helpline_' || n.nspname"));
        var intake = As(database, "helpline_intake");
        var console = As(database, "helpline_console");
        await MigrateAsync<IntakeDbContext>(intake, IntakeDbContext.Schema, options => new IntakeDbContext(options));
        await MigrateAsync<ConsoleDbContext>(console, ConsoleDbContext.Schema, options => new ConsoleDbContext(options));
        await ExecuteAsync(console, "SELECT count(*) FROM console.contacts");
        await AssertDeniedAsync(console, "SELECT count(*) FROM intake.inbound_calls");
    }

    private static string As(TestDatabase database, string role) =>
        new NpgsqlConnectionStringBuilder(database.ConnectionString) { Username = role, Password = "unused-on-the-trusting-test-server", Pooling = false }.ConnectionString;

    private static async Task CreateDatabaseAsync(TestDatabase database)
    {
        await using var connection = new NpgsqlConnection(TestServers.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{new NpgsqlConnectionStringBuilder(database.ConnectionString).Database}\"", connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task RunRolesScriptAsync(TestDatabase database)
    {
        var server = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        var (exitCode, output) = await ToolRunner.RunAsync("psql",
        [
            "-X", "-q", "-v", "ON_ERROR_STOP=1", "-v", "intake_password=intake-test", "-v", "console_password=console-test",
            "-f", Path.Combine(TestServers.RepositoryRoot, "deploy", "postgres", "roles.sql"),
            $"host={server.Host} port={server.Port} user={server.Username} dbname={server.Database}",
        ]);
        Assert.True(exitCode == 0, output);
    }

    private static async Task MigrateAsync<TContext>(string connectionString, string schema, Func<DbContextOptions<TContext>, TContext> create)
        where TContext : DbContext
    {
        var options = new DbContextOptionsBuilder<TContext>();
        options.UseHelplinePostgres(connectionString, schema);
        await using var context = create(options.Options);
        await context.Database.MigrateAsync();
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task AssertDeniedAsync(string connectionString, string sql)
    {
        var error = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(connectionString, sql));
        Assert.True(error.SqlState == InsufficientPrivilege, $"{sql}: {error.SqlState} {error.MessageText}");
    }
}
