using System.ComponentModel.DataAnnotations;
using Helpline.ServiceDefaults;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Helpline.Intake.Web;

/// <summary>
/// Section <c>RateLimits</c>: how often one client address may call Intake's anonymous API
/// (<c>GET /api/opening-hours</c>), in memory per instance; beyond it a 429 problem with <c>Retry-After</c>.
/// Health probes and Twilio's signed webhooks are not limited (see docs/security.md).
/// </summary>
internal sealed class RateLimitOptions : IValidatableObject
{
    public const string Section = "RateLimits";

    /// <summary>The limiter policy of the anonymous endpoints.</summary>
    public const string AnonymousPolicy = "anonymous-per-client";

    /// <summary>Requests one client address may make per <see cref="Window"/>.</summary>
    [Range(1, int.MaxValue)]
    public int PermitsPerWindow { get; set; } = 60;

    /// <summary>The fixed window the permits are counted in, from one second to one day.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Window < TimeSpan.FromSeconds(1) || Window > TimeSpan.FromDays(1))
        {
            yield return new ValidationResult("RateLimits:Window must be from 00:00:01 to 1.00:00:00.", [nameof(Window)]);
        }
    }
}

internal static class RateLimitExtensions
{
    public static IHostApplicationBuilder AddRateLimits(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<RateLimitOptions>(RateLimitOptions.Section);
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((limiter, options) =>
        {
            var limits = options.Value;
            limiter.AddPolicy(RateLimitOptions.AnonymousPolicy, context => TooManyRequests.PerClient(context, limits.PermitsPerWindow, limits.Window));
            limiter.OnRejected = (rejected, _) => TooManyRequests.RejectedAsync(rejected, limits.Window, "Too many requests from this address.");
        });
        return builder;
    }
}
