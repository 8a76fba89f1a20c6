using System.ComponentModel.DataAnnotations;
using System.Threading.RateLimiting;
using Helpline.ServiceDefaults;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Helpline.Console.Accounts;

/// <summary>
/// Sign-in limits (section <c>SignInLimits</c>). There is no account lockout an attacker can trigger:
/// wrong passwords throttle the pair (account, client address) they came from, and each client address
/// is limited over all accounts, so a flood of wrong passwords slows the flooder, never the advisor
/// signing in from her own desk. Each refusal is a 429 problem with <c>Retry-After</c>.
/// </summary>
internal sealed class SignInLimitOptions
{
    public const string Section = "SignInLimits";

    /// <summary>Sign-in attempts one client address may make per <see cref="ClientWindow"/>, whatever the accounts.</summary>
    [Range(1, int.MaxValue)]
    public int PerClient { get; set; } = 30;

    public TimeSpan ClientWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Wrong passwords for one account from one client address per <see cref="FailureWindow"/>; then that pair waits.</summary>
    [Range(1, int.MaxValue)]
    public int FailuresPerAccountAndClient { get; set; } = 5;

    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Token refreshes one client address may make per <see cref="ClientWindow"/>, whatever the accounts.</summary>
    [Range(1, int.MaxValue)]
    public int RefreshesPerClient { get; set; } = 120;
}

/// <summary>The wrong-password budget of each (account, client address), kept in memory per instance.</summary>
internal sealed class SignInThrottle(IOptions<SignInLimitOptions> options) : IDisposable
{
    public const string ClientPolicy = "sign-in-per-client";
    public const string RefreshPolicy = "refresh-per-client";

    private readonly PartitionedRateLimiter<string> _failures = PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.FailuresPerAccountAndClient,
            Window = options.Value.FailureWindow,
            QueueLimit = 0,
        }));

    private static string Key(string userName, HttpContext context) =>
        $"{userName.Trim().ToUpperInvariant()}|{context.Connection.RemoteIpAddress}";

    /// <summary>How long this pair must wait before trying again, or null when it may try now.</summary>
    public TimeSpan? Wait(string userName, HttpContext context)
    {
        var statistics = _failures.GetStatistics(Key(userName, context));
        return statistics is { CurrentAvailablePermits: <= 0 } ? options.Value.FailureWindow : null;
    }

    /// <summary>Counts a wrong password against the pair.</summary>
    public void Failed(string userName, HttpContext context)
    {
        using var lease = _failures.AttemptAcquire(Key(userName, context));
    }

    public void Dispose() => _failures.Dispose();

    /// <summary>The per-client limiters on the sign-in and refresh endpoints, answering 429 problem details with Retry-After.</summary>
    public static void AddClientPolicies(RateLimiterOptions limiter, SignInLimitOptions limits)
    {
        limiter.AddPolicy(ClientPolicy, context => TooManyRequests.PerClient(context, limits.PerClient, limits.ClientWindow));
        limiter.AddPolicy(RefreshPolicy, context => TooManyRequests.PerClient(context, limits.RefreshesPerClient, limits.ClientWindow));
        limiter.OnRejected = (rejected, _) => TooManyRequests.RejectedAsync(rejected, limits.ClientWindow, "Too many sign-in attempts from this address.");
    }
}
