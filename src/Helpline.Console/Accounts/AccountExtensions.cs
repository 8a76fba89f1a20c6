using Helpline.Console.Accounts;
using Helpline.Console.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using MassTransit;

namespace Microsoft.Extensions.Hosting;

internal static class AccountExtensions
{
    public const string AdminPasswordVariable = "HELPLINE_ADMIN_PASSWORD";

    /// <summary>
    /// ASP.NET Core Identity with its EF Core stores in the console schema. Browsers sign in with a
    /// cookie (SameSite=Strict, HttpOnly) and send an anti-forgery header on every change; other
    /// clients (the SignalR .NET and JS clients, integrations) use bearer tokens, in the
    /// Authorization header or, for WebSockets, the <c>access_token</c> query parameter on /hubs.
    /// The authorization policies (<see cref="Policies"/>). Both are signed with the shared, encrypted
    /// Data Protection key ring (<see cref="KeyRing"/>).
    /// </summary>
    public static IHostApplicationBuilder AddAccounts(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<AccountOptions>(AccountOptions.Section);
        builder.Services.AddValidatedOptions<SignInLimitOptions>(SignInLimitOptions.Section);
        builder.Services.AddSingleton<SignInThrottle>();
        var limits = builder.Configuration.GetSection(SignInLimitOptions.Section).Get<SignInLimitOptions>() ?? new SignInLimitOptions();
        builder.Services.AddRateLimiter(limiter => SignInThrottle.AddClientPolicies(limiter, limits));
        builder.AddKeyRing();
        builder.Services.AddIdentityApiEndpoints<HelplineUser>(options =>
            {
                // Length over composition rules, as the NCSC advises: 12 characters, any kind.
                options.Password.RequiredLength = 12;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequireDigit = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireLowercase = false;
                // No lockout on failure (an attacker could lock every advisor out): SignInThrottle instead.
                // Lockout stays for accounts an admin disables (LockoutEnd = forever).
                options.Lockout.AllowedForNewUsers = true;
                options.User.RequireUniqueEmail = false;
            })
            .AddRoles<IdentityRole<Guid>>()
            .AddEntityFrameworkStores<ConsoleDbContext>();

        builder.Services.ConfigureApplicationCookie(cookie =>
        {
            cookie.Cookie.Name = "helpline.session";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            // Behind the HTTPS proxy in Production the cookie never travels in clear.
            cookie.Cookie.SecurePolicy = builder.Environment.IsProduction() ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            cookie.ExpireTimeSpan = TimeSpan.FromHours(9);
            cookie.SlidingExpiration = true;
            cookie.Events.OnRedirectToLogin = context => Status(context.Response, StatusCodes.Status401Unauthorized);
            cookie.Events.OnRedirectToAccessDenied = context => Status(context.Response, StatusCodes.Status403Forbidden);
        });
        builder.Services.AddOptions<BearerTokenOptions>(IdentityConstants.BearerScheme).Configure<IOptions<AccountOptions>>((bearer, accounts) =>
        {
            bearer.BearerTokenExpiration = accounts.Value.AccessTokenLifetime;
            bearer.RefreshTokenExpiration = accounts.Value.RefreshTokenLifetime;
            bearer.Events.OnMessageReceived = context =>
            {
                if (context.Request.Path.StartsWithSegments("/hubs") && context.Request.Query["access_token"] is [{ Length: > 0 } token])
                {
                    context.Token = token;
                }

                return Task.CompletedTask;
            };
        });
        builder.Services.AddAntiforgery(options =>
        {
            options.HeaderName = CookieAntiforgeryMiddleware.Header;
            options.Cookie.SecurePolicy = builder.Environment.IsProduction() ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        });

        builder.Services.AddAuthorizationBuilder().AddHelplinePolicies();
        builder.Services.AddScoped<IAuthorizationHandler, CurrentSessionHandler>();
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, EndedSessionChallenge>();
        builder.Services.AddSingleton<SessionConnections>();
        builder.Services.AddScoped<SessionRevocation>();
        builder.Services.AddHostedService<SessionSweeper>();

        builder.Services.AddScoped<AccountSeeder>();
        builder.Services.AddHostedService<AccountSeedingService>();
        return builder;
    }

    /// <summary>Every instance closes the hub connections it holds of an account whose sessions ended.</summary>
    public static void AddAccountConsumers(this IBusRegistrationConfigurator bus) =>
        bus.AddInstanceConsumer<SessionEndedConsumer>();

    private static Task Status(HttpResponse response, int status)
    {
        response.StatusCode = status;
        return Task.CompletedTask;
    }

    /// <summary>
    /// Refuses a change made with the browser's session cookie that lacks the anti-forgery header
    /// (<see cref="CookieAntiforgeryMiddleware"/>). After authentication, which tells cookies from tokens.
    /// </summary>
    public static WebApplication UseCookieAntiforgery(this WebApplication app)
    {
        app.UseMiddleware<CookieAntiforgeryMiddleware>();
        return app;
    }

    /// <summary>Signing in and out, and the admins' accounts API. There is no self-registration.</summary>
    public static WebApplication MapAccounts(this WebApplication app)
    {
        var account = app.MapGroup("/api/account").WithTags("Account");
        account.MapPost("/login", AccountEndpoints.Login)
            .AllowAnonymous()
            .RequireRateLimiting(SignInThrottle.ClientPolicy)
            .WithName("Login")
            .WithSummary("Sign in: a session cookie with useCookies=true (browsers), else a bearer token")
            .WithDescription("Rate limited per client address and, for wrong passwords, per account and client address: 429 with Retry-After (docs/security.md).")
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        account.MapPost("/refresh", AccountEndpoints.Refresh)
            .AllowAnonymous()
            .RequireRateLimiting(SignInThrottle.RefreshPolicy)
            .WithName("Refresh")
            .WithSummary("A new access token and a new refresh token for a refresh token of a session that has not ended")
            .WithDescription("The refresh token is the credential, and single-use: refused (401) once used, once the session has ended (signed out, password changed, disabled) or once it has expired. A used refresh token presented again ends every session of the account (theft detection). Rate limited per client address.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        account.MapPost("/logout", AccountEndpoints.Logout).RequireAuthorization(Policies.SignedIn).WithName("Logout")
            .WithSummary("Sign out: ends every session of the account; an advisor goes Offline and their hub connections close");
        account.MapPost("/password", AccountEndpoints.ChangePassword).RequireAuthorization(Policies.SignedIn).WithName("ChangePassword")
            .WithSummary("Change one's own password: ends every session of the account, as signing out does; sign in again with the new password")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        account.MapGet("/me", AccountEndpoints.CurrentUser).RequireAuthorization(Policies.SignedIn).WithName("Me").WithSummary("Who is signed in, with their roles");
        account.MapGet("/antiforgery", AccountEndpoints.AntiforgeryToken).RequireAuthorization(Policies.SignedIn).WithName("Antiforgery")
            .WithSummary("The anti-forgery token a browser sends in X-XSRF-TOKEN with every change");

        var users = app.MapGroup("/api/admin/users").WithTags("Admin").RequireAuthorization(Policies.Admin);
        users.MapGet("/", AdminEndpoints.List).WithName("ListUsers").WithSummary("Every account with its roles and routing profile");
        users.MapPost("/", AdminEndpoints.Create).WithName("CreateUser").WithSummary("Add an account (advisors get a routing profile)");
        users.MapPut("/{id:guid}", AdminEndpoints.Update).WithName("UpdateUser").WithSummary("Change skills, email capacity, call endpoint, or disable the account");
        return app;
    }

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

        var password = Environment.GetEnvironmentVariable(AdminPasswordVariable);
        if (string.IsNullOrEmpty(password))
        {
            throw new InvalidOperationException($"Set {AdminPasswordVariable} to the new admin's password.");
        }

        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AccountSeeder>().EnsureAdminAsync(userName, password);
        return true;
    }
}
