using Microsoft.Net.Http.Headers;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The advisor console in the browser: static files built from ClientApp into wwwroot, served with a
/// strict Content-Security-Policy (no inline scripts or styles, nothing from elsewhere). There is no
/// fallback route: the app has one URL, and unknown /api paths stay 404.
/// </summary>
internal static class WebAppExtensions
{
    private const string ContentSecurityPolicy =
        "default-src 'self'; connect-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; " +
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    public static WebApplication UseConsoleApp(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            await next(context);
        });
        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = file =>
            {
                if (file.File.Name.EndsWith(".html", StringComparison.Ordinal))
                {
                    file.Context.Response.Headers[HeaderNames.CacheControl] = "no-cache";
                }
            },
        });
        return app;
    }
}
