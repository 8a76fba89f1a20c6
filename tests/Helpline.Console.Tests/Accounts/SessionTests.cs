using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;

namespace Helpline.Console.Tests.Accounts;

/// <summary>
/// A session ends everywhere within seconds (sign-out, a password change, an admin disabling the
/// account): REST, both hubs, on every instance; and access tokens are short, renewed with a refresh
/// token that stops working when the session ends.
/// </summary>
public sealed class SessionTests
{
    /// <summary>"Within seconds": the sweep runs every 2 s, the bus message takes milliseconds.</summary>
    private static readonly TimeSpan WithinSeconds = TimeSpan.FromSeconds(10);

    private sealed record Tokens(string AccessToken, string RefreshToken, long ExpiresIn);

    private static async Task<Tokens> SignInAsync(Uri console, string userName, string password = TestAccounts.Password)
    {
        using var client = new HttpClient { BaseAddress = console };
        var response = await client.PostAsJsonAsync("/api/account/login", new { userName, password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Read(await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private static Tokens Read(JsonElement json) =>
        new(json.GetProperty("accessToken").GetString()!, json.GetProperty("refreshToken").GetString()!, json.GetProperty("expiresIn").GetInt64());

    private static async Task<(HttpStatusCode Status, Tokens? Tokens)> RefreshAsync(Uri console, string refreshToken)
    {
        using var client = new HttpClient { BaseAddress = console };
        var response = await client.PostAsJsonAsync("/api/account/refresh", new { refreshToken });
        return (response.StatusCode, response.IsSuccessStatusCode ? Read(await response.Content.ReadFromJsonAsync<JsonElement>()) : null);
    }

    private static async Task<HttpStatusCode> MeAsync(Uri console, string accessToken)
    {
        using var client = await TestAccounts.ClientAsync(console, accessToken);
        return (await client.GetAsync("/api/account/me")).StatusCode;
    }

    private static async Task<HttpStatusCode> PostAsync(Uri console, string accessToken, string path, object? body = null)
    {
        using var client = await TestAccounts.ClientAsync(console, accessToken);
        return (body is null ? await client.PostAsync(path, null) : await client.PostAsJsonAsync(path, body)).StatusCode;
    }

    /// <summary>An open connection to the hub, and a task that completes when the server closes it.</summary>
    private static async Task<(HubConnection Connection, Task Closed)> ConnectAsync(Uri console, string accessToken, string hub)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(console, hub), HttpTransportType.WebSockets, options =>
            {
                options.SkipNegotiation = true;
                options.AccessTokenProvider = () => Task.FromResult<string?>(accessToken);
            })
            .Build();
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        await connection.StartAsync();
        return (connection, closed.Task);
    }

    private static async Task AssertCannotConnectAsync(Uri console, string accessToken, string hub)
    {
        await using var stale = new HubConnectionBuilder()
            .WithUrl(new Uri(console, hub), HttpTransportType.WebSockets, options =>
            {
                options.SkipNegotiation = true;
                options.AccessTokenProvider = () => Task.FromResult<string?>(accessToken);
            })
            .Build();
        await Assert.ThrowsAnyAsync<Exception>(() => stale.StartAsync());
    }

    [Fact]
    public async Task Signing_out_revokes_a_bearer_token_on_REST_and_closes_its_connections_on_both_hubs_within_seconds()
    {
        await using var rig = await ConsoleRig.StartAsync();
        var address = rig.Console.Address;
        await TestAccounts.EnsureUserAsync(address, "sam", "Advisor", "Supervisor");
        var tokens = await SignInAsync(address, "sam");
        var (advisorHub, advisorClosed) = await ConnectAsync(address, tokens.AccessToken, "/hubs/advisor");
        var (supervisorHub, supervisorClosed) = await ConnectAsync(address, tokens.AccessToken, "/hubs/supervisor");
        await using var advisorConnection = advisorHub;
        await using var supervisorConnection = supervisorHub;
        Assert.Equal(HttpStatusCode.OK, await MeAsync(address, tokens.AccessToken));

        Assert.Equal(HttpStatusCode.NoContent, await PostAsync(address, tokens.AccessToken, "/api/account/logout"));

        await advisorClosed.WaitAsync(WithinSeconds);
        await supervisorClosed.WaitAsync(WithinSeconds);
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(address, tokens.AccessToken));
        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(address, tokens.RefreshToken)).Status);
        await AssertCannotConnectAsync(address, tokens.AccessToken, "/hubs/advisor");
        await AssertCannotConnectAsync(address, tokens.AccessToken, "/hubs/supervisor");
    }

    [Fact]
    public async Task Signing_out_on_one_instance_closes_a_supervisors_connection_on_another()
    {
        await using var rig = await ConsoleRig.StartAsync();
        await using var other = rig.StartAnotherInstance();
        var token = await TestAccounts.EnsureUserAsync(rig.Console.Address, "sam", "Supervisor");
        var (connection, closed) = await ConnectAsync(other.Address, token, "/hubs/supervisor");
        await using var supervisor = connection;

        Assert.Equal(HttpStatusCode.NoContent, await PostAsync(rig.Console.Address, token, "/api/account/logout"));

        await closed.WaitAsync(WithinSeconds);
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(other.Address, token));
    }

    [Fact]
    public async Task A_session_ended_without_any_message_closes_its_connections_at_the_next_check()
    {
        await using var rig = await ConsoleRig.StartAsync();
        var address = rig.Console.Address;
        var token = await TestAccounts.EnsureUserAsync(address, "sam", "Advisor", "Supervisor");
        var (advisorHub, advisorClosed) = await ConnectAsync(address, token, "/hubs/advisor");
        var (supervisorHub, supervisorClosed) = await ConnectAsync(address, token, "/hubs/supervisor");
        await using var advisorConnection = advisorHub;
        await using var supervisorConnection = supervisorHub;

        // The stamp changes in the database alone: no sign-out request, no message on the bus.
        Assert.Equal(1, await rig.Database.ExecuteAsync("UPDATE console.users SET security_stamp = 'changed-behind-the-bus' WHERE user_name = 'sam'"));

        await advisorClosed.WaitAsync(WithinSeconds);
        await supervisorClosed.WaitAsync(WithinSeconds);
    }

    [Fact]
    public async Task Before_the_next_check_a_hub_method_of_an_ended_session_is_refused_on_both_hubs()
    {
        await using var rig = await ConsoleRig.StartAsync(new Dictionary<string, string?> { ["Accounts:SessionCheckInterval"] = "00:01:00" });
        var address = rig.Console.Address;
        var token = await TestAccounts.EnsureUserAsync(address, "sam", "Advisor", "Supervisor");
        var (advisorHub, advisorClosed) = await ConnectAsync(address, token, "/hubs/advisor");
        var (supervisorHub, _) = await ConnectAsync(address, token, "/hubs/supervisor");
        await using var advisorConnection = advisorHub;
        await using var supervisorConnection = supervisorHub;
        await supervisorHub.InvokeAsync<JsonElement>("GetDashboard");

        Assert.Equal(1, await rig.Database.ExecuteAsync("UPDATE console.users SET security_stamp = 'changed-behind-the-bus' WHERE user_name = 'sam'"));

        var advisorRefusal = await Assert.ThrowsAnyAsync<Exception>(() => advisorHub.InvokeAsync("SetStatus", "Available", null));
        var supervisorRefusal = await Assert.ThrowsAsync<HubException>(() => supervisorHub.InvokeAsync<JsonElement>("GetDashboard"));
        Assert.True(advisorRefusal is HubException { Message: var m } ? m.Contains("SessionEnded", StringComparison.Ordinal) : advisorHub.State != HubConnectionState.Connected, advisorRefusal.ToString());
        Assert.Contains("unauthorized", supervisorRefusal.Message, StringComparison.OrdinalIgnoreCase);
        await advisorClosed.WaitAsync(WithinSeconds);
        Assert.Equal(0, await rig.Database.CountAsync("SELECT count(*) FROM console.advisor_events WHERE status = 'Available'"));
    }

    [Fact]
    public async Task Refresh_gives_a_new_access_and_refresh_token_until_the_session_ends()
    {
        await using var rig = await ConsoleRig.StartAsync();
        var address = rig.Console.Address;
        await TestAccounts.EnsureUserAsync(address, "alice", "Advisor");
        var first = await SignInAsync(address, "alice");
        Assert.Equal(300, first.ExpiresIn);

        var (status, second) = await RefreshAsync(address, first.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.NotEqual(first.RefreshToken, second!.RefreshToken);
        Assert.NotEqual(first.AccessToken, second.AccessToken);
        Assert.Equal(HttpStatusCode.OK, await MeAsync(address, second.AccessToken));
        var (again, third) = await RefreshAsync(address, second.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, again);
        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(address, "not-a-refresh-token")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(address, first.AccessToken)).Status);

        Assert.Equal(HttpStatusCode.NoContent, await PostAsync(address, third!.AccessToken, "/api/account/logout"));

        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(address, third.RefreshToken)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(address, second.AccessToken));
    }

    [Fact]
    public async Task A_refresh_token_used_once_is_refused_and_presenting_it_again_ends_the_session()
    {
        await using var rig = await ConsoleRig.StartAsync();
        var address = rig.Console.Address;
        await TestAccounts.EnsureUserAsync(address, "sam", "Supervisor");
        var stolen = await SignInAsync(address, "sam");
        var (status, owners) = await RefreshAsync(address, stolen.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, status);
        var (connection, closed) = await ConnectAsync(address, owners!.AccessToken, "/hubs/supervisor");
        await using var supervisor = connection;
        var samId = (await (await TestAccounts.ClientAsync(address, owners.AccessToken)).GetFromJsonAsync<JsonElement>("/api/account/me")).GetProperty("userId").GetGuid();

        // A copy of the token the client has already exchanged comes back: a thief's.
        using var client = new HttpClient { BaseAddress = address };
        var reused = await client.PostAsJsonAsync("/api/account/refresh", new { refreshToken = stolen.RefreshToken });

        Assert.True(reused.StatusCode == HttpStatusCode.Unauthorized, $"{reused.StatusCode}: {await reused.Content.ReadAsStringAsync()}");
        Assert.Equal("application/problem+json", reused.Content.Headers.ContentType?.MediaType);
        await closed.WaitAsync(WithinSeconds);
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(address, owners.AccessToken));
        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(address, owners.RefreshToken)).Status);
        Assert.Equal(1, await rig.Database.CountAsync($"SELECT count(*) FROM console.audit_entries WHERE action = 'account.refresh.reused' AND target = '{samId}'"));
        Assert.Equal(1, await rig.Database.CountAsync($"SELECT count(*) FROM console.used_refresh_tokens WHERE user_id = '{samId}'"));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(address, (await SignInAsync(address, "sam")).AccessToken));
    }

    [Fact]
    public async Task An_expired_access_token_is_refused_and_the_refresh_token_gets_a_new_one()
    {
        await using var rig = await ConsoleRig.StartAsync(new Dictionary<string, string?> { ["Accounts:AccessTokenLifetime"] = "00:00:03" });
        var address = rig.Console.Address;
        await TestAccounts.EnsureUserAsync(address, "alice", "Advisor");
        var tokens = await SignInAsync(address, "alice");
        Assert.Equal(3, tokens.ExpiresIn);
        Assert.Equal(HttpStatusCode.OK, await MeAsync(address, tokens.AccessToken));

        await Eventually.WaitAsync(() => MeAsync(address, tokens.AccessToken), s => s == HttpStatusCode.Unauthorized, ConsoleRig.Timeout, "the access token expired");
        await AssertCannotConnectAsync(address, tokens.AccessToken, "/hubs/advisor");

        var (status, renewed) = await RefreshAsync(address, tokens.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(HttpStatusCode.OK, await MeAsync(address, renewed!.AccessToken));
    }

    [Fact]
    public async Task Changing_the_password_ends_every_session_of_the_account_as_signing_out_does()
    {
        await using var rig = await ConsoleRig.StartAsync();
        var address = rig.Console.Address;
        var alice = await rig.AvailableAdvisorAsync("alice");
        var tokens = await SignInAsync(address, "alice");
        var aliceId = (await (await TestAccounts.ClientAsync(address, tokens.AccessToken)).GetFromJsonAsync<JsonElement>("/api/account/me")).GetProperty("userId").GetGuid();
        const string newPassword = "a-new-and-long-enough-password";

        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync(address, tokens.AccessToken, "/api/account/password", new { currentPassword = "not-the-password", newPassword }));
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync(address, tokens.AccessToken, "/api/account/password", new { currentPassword = TestAccounts.Password, newPassword = "short" }));
        Assert.Equal(HubConnectionState.Connected, alice.Connection.State);
        Assert.Equal(HttpStatusCode.OK, await MeAsync(address, tokens.AccessToken));

        Assert.Equal(HttpStatusCode.NoContent, await PostAsync(address, tokens.AccessToken, "/api/account/password", new { currentPassword = TestAccounts.Password, newPassword }));

        await Eventually.WaitAsync(() => Task.FromResult(alice.Connection.State), s => s != HubConnectionState.Connected, WithinSeconds, "alice's hub connection closed");
        await Eventually.WaitAsync(() => SignOutTests.RoutingStatusAsync(address, aliceId), s => s == "Offline", ConsoleRig.Timeout, "alice Offline");
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(address, tokens.AccessToken));
        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(address, tokens.RefreshToken)).Status);
        using var anonymous = rig.Console.CreateHttpClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/account/login", new { userName = "alice", password = TestAccounts.Password })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, await MeAsync(address, (await SignInAsync(address, "alice", newPassword)).AccessToken));
        Assert.Equal(1, await rig.Database.CountAsync($"SELECT count(*) FROM console.audit_entries WHERE action = 'account.password.changed' AND target = '{aliceId}'"));
        Assert.Equal(0, await rig.Database.CountAsync($"SELECT count(*) FROM console.audit_entries WHERE detail ILIKE '%{newPassword}%'"));
    }

    [Fact]
    public async Task Disabling_an_account_closes_its_supervisor_connection_and_refuses_its_refresh_token()
    {
        await using var rig = await ConsoleRig.StartAsync();
        var address = rig.Console.Address;
        await TestAccounts.EnsureUserAsync(address, "sam", "Supervisor");
        var tokens = await SignInAsync(address, "sam");
        var samId = (await (await TestAccounts.ClientAsync(address, tokens.AccessToken)).GetFromJsonAsync<JsonElement>("/api/account/me")).GetProperty("userId").GetGuid();
        var (connection, closed) = await ConnectAsync(address, tokens.AccessToken, "/hubs/supervisor");
        await using var supervisor = connection;
        using var admin = await TestAccounts.ClientAsync(address, await TestAccounts.LoginAsync(address, TestAccounts.AdminUserName));

        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/admin/users/{samId}", new { disabled = true })).StatusCode);

        await closed.WaitAsync(WithinSeconds);
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(address, tokens.AccessToken));
        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(address, tokens.RefreshToken)).Status);
    }
}
