using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Helpline.Testing;

/// <summary>
/// Accounts on a Console under test, made the way an admin makes them: the bootstrap admin from
/// <see cref="HelplineSettings"/> signs in and calls the admin API; users sign in for bearer tokens.
/// </summary>
public static class TestAccounts
{
    public const string AdminUserName = "admin";
    public const string Password = "correct-horse-battery-staple";

    /// <summary>A bearer token for the user; 401s fail the test.</summary>
    public static async Task<string> LoginAsync(Uri console, string userName, string password = Password)
    {
        using var client = new HttpClient { BaseAddress = console };
        var response = await client.PostAsJsonAsync("/api/account/login", new { userName, password });
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"sign-in of {userName}: {response.StatusCode}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    /// <summary>Creates the user (if new) with the roles, and returns a bearer token for them.</summary>
    public static async Task<string> EnsureUserAsync(Uri console, string userName, params string[] roles)
    {
        using var admin = await ClientAsync(console, await LoginAsync(console, AdminUserName));
        var response = await admin.PostAsJsonAsync("/api/admin/users", new { userName, password = Password, roles });
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.BadRequest, $"creating {userName}: {response.StatusCode}");
        return await LoginAsync(console, userName);
    }

    /// <summary>An HTTP client that sends the bearer token.</summary>
    public static Task<HttpClient> ClientAsync(Uri console, string token)
    {
        var client = new HttpClient { BaseAddress = console };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return Task.FromResult(client);
    }
}
