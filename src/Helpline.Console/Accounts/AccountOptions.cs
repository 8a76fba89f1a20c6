using System.ComponentModel.DataAnnotations;

namespace Helpline.Console.Accounts;

/// <summary>
/// Section <c>Accounts</c>: an optional first admin created at start when no user of that name exists;
/// how long bearer tokens last; how often each instance checks the sessions of its hub connections.
/// </summary>
internal sealed class AccountOptions
{
    public const string Section = "Accounts";

    public string? BootstrapAdminUserName { get; set; }

    public string? BootstrapAdminPassword { get; set; }

    /// <summary>How long a bearer access token is accepted; the client refreshes it before then (<c>POST /api/account/refresh</c>).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a refresh token may be exchanged for new tokens: a shift, like the browser's cookie.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromHours(9);

    /// <summary>How often each instance closes the hub connections of sessions that have ended (<see cref="SessionSweeper"/>).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan SessionCheckInterval { get; set; } = TimeSpan.FromSeconds(2);
}
