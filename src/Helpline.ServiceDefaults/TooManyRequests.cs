using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.ServiceDefaults;

/// <summary>
/// The rate limits of both services: partitions per client address (as the trusted proxy saw it, after
/// the forwarded headers of <see cref="TransportOptions"/>) and the refusal, a 429 problem with
/// <c>Retry-After</c> in whole seconds.
/// </summary>
public static class TooManyRequests
{
    /// <summary>A fixed window of <paramref name="permits"/> requests per <paramref name="window"/> for each client address, no queue.</summary>
    public static RateLimitPartition<string> PerClient(HttpContext context, int permits, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(context);
        return RateLimitPartition.GetFixedWindowLimiter(
            context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = window, QueueLimit = 0 });
    }

    /// <summary>Answers a request the rate limiter refused: the wait its lease names, else <paramref name="window"/>.</summary>
    public static async ValueTask RejectedAsync(OnRejectedContext rejected, TimeSpan window, string title)
    {
        ArgumentNullException.ThrowIfNull(rejected);
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : window;
        await WriteAsync(rejected.HttpContext, retryAfter, title);
    }

    /// <summary>Writes the 429 problem with <c>Retry-After</c> (at least one second) to <paramref name="context"/>.</summary>
    public static async Task WriteAsync(HttpContext context, TimeSpan retryAfter, string title)
    {
        ArgumentNullException.ThrowIfNull(context);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds;
        _ = await context.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = title,
                Detail = $"Try again in {seconds} seconds.",
            },
        });
    }
}
