using Helpline.ServiceDefaults.Faults;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql.EntityFrameworkCore.PostgreSQL;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>PostgreSQL through EF Core: one DbContext and schema per service.</summary>
public static partial class DatabaseExtensions
{
    public static IHostApplicationBuilder AddHelplineDbContext<TContext>(this IHostApplicationBuilder builder, string schema)
        where TContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(builder);

        var connectionString = PostgresConnectionString(builder.Configuration);
        builder.Services.AddDbContext<TContext>(options => options.UseHelplinePostgres(connectionString, schema));
        builder.Services.AddHealthChecks().AddNpgSql(connectionString, name: "postgres", tags: [ServiceDefaultsExtensions.ReadyTag]);
        return builder;
    }

    public static string PostgresConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString("Postgres")
        ?? throw new InvalidOperationException("ConnectionStrings:Postgres is not configured.");

    /// <summary>The options every Helpline context uses; also used by design-time factories and tests.</summary>
    public static DbContextOptionsBuilder UseHelplinePostgres(this DbContextOptionsBuilder options, string connectionString, string schema)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options
            .UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history", schema))
            .UseSnakeCaseNamingConvention();
    }

    /// <summary>
    /// Npgsql's retrying execution strategy for one unit of work that is safe to run again from the start
    /// (3 attempts, at most 1 s apart: short enough that a webhook still answers within a provider's
    /// timeout; Twilio waits 15 s). Not the contexts' configured strategy: that would retry every
    /// transaction, including those with a side effect outside the database (an SMTP send), and bar
    /// user-initiated transactions elsewhere.
    /// </summary>
    public static IExecutionStrategy RetryingStrategy(this DbContext db) => new TransientRetryStrategy(db);

    /// <summary>
    /// Retries what <see cref="TransientFaults"/> calls transient, which also sees through the context's
    /// own (non-retrying) strategy wrapping a transient failure in an <see cref="InvalidOperationException"/>.
    /// </summary>
    private sealed class TransientRetryStrategy(DbContext db)
        : NpgsqlRetryingExecutionStrategy(db, maxRetryCount: 3, maxRetryDelay: TimeSpan.FromSeconds(1), errorCodesToAdd: null)
    {
        protected override bool ShouldRetryOn(Exception? exception) => exception is not null && TransientFaults.IsTransient(exception);
    }

    /// <summary>
    /// With the single argument <c>migrate</c>, applies the context's migrations and returns without
    /// serving; with <c>dead-letters [replay]</c>, lists or replays what the service gave up on
    /// (<see cref="DeadLetterCommands"/>); otherwise runs the application.
    /// </summary>
    public static async Task RunOrMigrateAsync<TContext>(this WebApplication app, string[] args)
        where TContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(args);

        if (args is ["migrate"])
        {
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TContext>();
            await db.Database.MigrateAsync().ConfigureAwait(false);
            LogMigrated(app.Logger, typeof(TContext).Name);
            return;
        }

        if (args is ["dead-letters", .. var command])
        {
            await DeadLetterCommands.RunAsync(app.Services, command, System.Console.Out).ConfigureAwait(false);
            return;
        }

        await app.RunAsync().ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Migrations applied for {Context}")]
    private static partial void LogMigrated(ILogger logger, string context);
}
