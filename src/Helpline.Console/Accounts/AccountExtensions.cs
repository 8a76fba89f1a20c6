using Helpline.Console.Accounts;
using Helpline.Console.Data;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Identity;

namespace Microsoft.Extensions.Hosting;

internal static class AccountExtensions
{
    public const string AntiforgeryHeader = "X-XSRF-TOKEN";

    /// <summary>
    /// ASP.NET Core Identity with its EF Core stores in the console schema. Browsers sign in with a
    /// cookie (SameSite=Strict, HttpOnly) and send an anti-forgery header on every change; other
    /// clients (the SignalR .NET and JS clients, integrations) use bearer tokens, in the
    /// Authorization header or, for WebSockets, the <c>access_token</c> query parameter on /hubs.
    /// One policy per role.
    /// </summary>
    public static IHostApplicationBuilder AddAccounts(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AccountOptions>().BindConfiguration(AccountOptions.Section);
        builder.Services.AddIdentityApiEndpoints<HelplineUser>(options =>
            {
                // Length over composition rules, as the NCSC advises: 12 characters, any kind.
                options.Password.RequiredLength = 12;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequireDigit = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireLowercase = false;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
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
            cookie.ExpireTimeSpan = TimeSpan.FromHours(9);
            cookie.SlidingExpiration = true;
            cookie.Events.OnRedirectToLogin = context => Status(context.Response, StatusCodes.Status401Unauthorized);
            cookie.Events.OnRedirectToAccessDenied = context => Status(context.Response, StatusCodes.Status403Forbidden);
        });
        builder.Services.Configure<BearerTokenOptions>(IdentityConstants.BearerScheme, bearer =>
        {
            bearer.BearerTokenExpiration = TimeSpan.FromHours(1);
            bearer.Events.OnMessageReceived = context =>
            {
                if (context.Request.Path.StartsWithSegments("/hubs") && context.Request.Query["access_token"] is [{ Length: > 0 } token])
                {
                    context.Token = token;
                }

                return Task.CompletedTask;
            };
        });
        builder.Services.AddAntiforgery(options => options.HeaderName = AntiforgeryHeader);

        var policies = builder.Services.AddAuthorizationBuilder();
        foreach (var role in Roles.All)
        {
            policies.AddPolicy(role, policy => policy.RequireAuthenticatedUser().RequireRole(role));
        }

        builder.Services.AddScoped<AccountSeeder>();
        builder.Services.AddHostedService<AccountSeedingService>();
        return builder;
    }

    private static Task Status(HttpResponse response, int status)
    {
        response.StatusCode = status;
        return Task.CompletedTask;
    }

    public static WebApplication MapAccounts(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<CookieAntiforgeryMiddleware>();
        app.MapAccountEndpoints();
        app.MapAdminEndpoints();
        return app;
    }
}

/// <summary>
/// A request that changes something (POST, PUT, PATCH, DELETE under /api) and rides on the browser's
/// session cookie must carry the anti-forgery header; bearer-token requests cannot be forged by a
/// page and need none. Signing in is exempt (there is no session yet).
/// </summary>
internal sealed class CookieAntiforgeryMiddleware(RequestDelegate next, IAntiforgery antiforgery, IProblemDetailsService problems)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var changes = !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method));
        if (changes
            && request.Path.StartsWithSegments("/api")
            && !request.Path.StartsWithSegments("/api/account/login")
            && request.Cookies.ContainsKey("helpline.session")
            && request.Headers.Authorization.Count == 0
            && !await antiforgery.IsRequestValidAsync(context))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = { Status = 400, Title = "Anti-forgery token missing or invalid.", Detail = $"Send the {AccountExtensions.AntiforgeryHeader} header from GET /api/account/antiforgery." },
            });
            return;
        }

        await next(context);
    }
}
