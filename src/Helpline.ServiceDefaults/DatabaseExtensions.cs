using Helpline.ServiceDefaults.Faults;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>PostgreSQL through EF Core: one DbContext and schema per service.</summary>
public static partial class DatabaseExtensions
{
    /// <param name="retryOnFailure">
    /// Npgsql's retrying execution strategy (<see cref="TransientRetries"/> attempts, at most
    /// <see cref="TransientRetryDelay"/> apart): a blip is absorbed inside the request. Every
    /// transaction the service opens must then run through <c>CreateExecutionStrategy().ExecuteAsync</c>
    /// and be safe to run again from the start.
    /// </param>
    public static IHostApplicationBuilder AddHelplineDbContext<TContext>(this IHostApplicationBuilder builder, string schema, bool retryOnFailure = false)
        where TContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(builder);

        var connectionString = PostgresConnectionString(builder.Configuration);
        builder.Services.AddDbContext<TContext>(options => options.UseHelplinePostgres(connectionString, schema, retryOnFailure));
        builder.Services.AddHealthChecks().AddNpgSql(connectionString, name: "postgres", tags: [ServiceDefaultsExtensions.ReadyTag]);
        return builder;
    }

    public static string PostgresConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString("Postgres")
        ?? throw new InvalidOperationException("ConnectionStrings:Postgres is not configured.");

    /// <summary>The options every Helpline context uses; also used by design-time factories and tests.</summary>
    public static DbContextOptionsBuilder UseHelplinePostgres(this DbContextOptionsBuilder options, string connectionString, string schema, bool retryOnFailure = false)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options
            .UseNpgsql(connectionString, npgsql =>
            {
                npgsql.MigrationsHistoryTable("__ef_migrations_history", schema);
                if (retryOnFailure)
                {
                    npgsql.EnableRetryOnFailure(TransientRetries, TransientRetryDelay, errorCodesToAdd: null);
                }
            })
            .UseSnakeCaseNamingConvention();
    }

    /// <summary>Short enough that a webhook still answers within a provider's timeout (Twilio waits 15 s).</summary>
    public const int TransientRetries = 3;

    public static readonly TimeSpan TransientRetryDelay = TimeSpan.FromSeconds(1);

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
