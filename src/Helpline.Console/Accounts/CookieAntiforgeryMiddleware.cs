using Microsoft.AspNetCore.Antiforgery;

namespace Helpline.Console.Accounts;

/// <summary>
/// A request that changes something (POST, PUT, PATCH, DELETE under /api) and rides on the browser's
/// session cookie must carry the anti-forgery header; bearer-token requests cannot be forged by a
/// page and need none. Signing in is exempt (there is no session yet).
/// </summary>
internal sealed class CookieAntiforgeryMiddleware(RequestDelegate next, IAntiforgery antiforgery, IProblemDetailsService problems)
{
    public const string Header = "X-XSRF-TOKEN";

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
            _ = await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = { Status = 400, Title = "Anti-forgery token missing or invalid.", Detail = $"Send the {Header} header from GET /api/account/antiforgery." },
            });
            return;
        }

        await next(context);
    }
}
