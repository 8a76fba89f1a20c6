using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;

namespace Helpline.LoadGenerator;

/// <summary>A Console admin's sign-in, read from the file the run command keeps it in. Never printed.</summary>
internal sealed class AdminCredentials(string userName, string password)
{
    public string UserName { get; } = userName;

    public string Password { get; } = password;
}

/// <summary>
/// Console's account API, used as an admin uses it: each advisor of a run is created with a random
/// password that only this process holds, then signed in for a bearer token. Access tokens are short
/// (5 minutes by default): the admin's is refreshed (<c>POST /api/account/refresh</c>) when it is
/// about to expire; an advisor's is used only to open their hub connection, which outlives it.
/// Passwords and tokens are never printed.
/// </summary>
internal sealed class ConsoleAccounts(Uri console, AdminCredentials admin) : IDisposable
{
    private const string AdvisorRole = "Advisor";
    private const string CallsOnly = "Calls";
    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    private readonly HttpClient _http = new() { BaseAddress = console, Timeout = TimeSpan.FromSeconds(30) };
    private readonly SemaphoreSlim _adminSignIn = new(1, 1);
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromSeconds(30);
    private SignedIn? _admin;
    private DateTimeOffset _adminExpiresAt;

    /// <summary>The Console instance this signs in at.</summary>
    public Uri Address => console;

    /// <summary>Creates an advisor who takes calls, and returns a bearer token for them.</summary>
    public Task<string> CreateAdvisorAsync(string userName, CancellationToken cancellationToken) =>
        CreateAdvisorAsync(userName, NewPassword(), cancellationToken);

    /// <summary>A random password for an advisor of a run, held only by this process.</summary>
    public static string NewPassword() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    /// <summary>Creates an advisor who takes calls with <paramref name="password"/>, and returns a bearer token for them.</summary>
    public Task<string> CreateAdvisorAsync(string userName, string password, CancellationToken cancellationToken) =>
        CreateUserAsync(userName, password, [AdvisorRole], cancellationToken);

    /// <summary>Creates a user with <paramref name="roles"/> (taking calls), and returns a bearer token for them.</summary>
    public async Task<string> CreateUserAsync(string userName, string password, IReadOnlyList<string> roles, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/admin/users", UriKind.Relative))
        {
            Content = JsonContent.Create(new NewUser(userName, password, roles, CallsOnly), options: Json),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await AdminTokenAsync(cancellationToken));
        using var response = await _http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        return await AccessTokenAsync(userName, password, cancellationToken);
    }

    /// <summary>Signs an existing user in again (a fresh access token, e.g. to reconnect after the old one expired).</summary>
    public async Task<string> AccessTokenAsync(string userName, string password, CancellationToken cancellationToken) =>
        (await SignInAsync(userName, password, cancellationToken)).AccessToken;

    public void Dispose()
    {
        _http.Dispose();
        _adminSignIn.Dispose();
    }

    private async Task<string> AdminTokenAsync(CancellationToken cancellationToken)
    {
        await _adminSignIn.WaitAsync(cancellationToken);
        try
        {
            if (_admin is null || DateTimeOffset.UtcNow >= _adminExpiresAt - RefreshMargin)
            {
                var issuedAt = DateTimeOffset.UtcNow;
                _admin = (_admin is null ? null : await RefreshAsync(_admin.RefreshToken, cancellationToken))
                    ?? await SignInAsync(admin.UserName, admin.Password, cancellationToken);
                _adminExpiresAt = issuedAt + TimeSpan.FromSeconds(_admin.ExpiresIn);
            }

            return _admin.AccessToken;
        }
        finally
        {
            _adminSignIn.Release();
        }
    }

    private async Task<SignedIn> SignInAsync(string userName, string password, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync(new Uri("/api/account/login", UriKind.Relative), new Login(userName, password), Json, cancellationToken);
        response.EnsureSuccessStatusCode();
        var signedIn = await response.Content.ReadFromJsonAsync<SignedIn>(Json, cancellationToken);
        return signedIn is { AccessToken.Length: > 0 } ? signedIn : throw new HttpRequestException($"Console signed in {userName} without a token.");
    }

    /// <summary>New tokens for the refresh token, or null when Console refuses it (the session ended): then sign in again.</summary>
    private async Task<SignedIn?> RefreshAsync(string refreshToken, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync(new Uri("/api/account/refresh", UriKind.Relative), new Refresh(refreshToken), Json, cancellationToken);
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<SignedIn>(Json, cancellationToken) : null;
    }

    private sealed record NewUser(string UserName, string Password, IReadOnlyList<string> Roles, string Skills);

    private sealed record Login(string UserName, string Password);

    private sealed record Refresh(string RefreshToken);

    private sealed record SignedIn(string AccessToken, string RefreshToken, long ExpiresIn);
}
