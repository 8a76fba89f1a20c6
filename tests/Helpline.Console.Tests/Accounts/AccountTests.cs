using Microsoft.AspNetCore.Http.Connections;

namespace Helpline.Console.Tests.Accounts;

public sealed class AccountTests
{
    private static readonly string[] AdminRole = ["Admin"];

    [Fact]
    public async Task Five_wrong_passwords_throttle_that_account_from_that_address_with_a_429_and_Retry_After_but_lock_no_account()
    {
        await using var rig = await ConsoleRig.StartAsync();
        await TestAccounts.EnsureUserAsync(rig.Console.Address, "alice", "Advisor");
        await TestAccounts.EnsureUserAsync(rig.Console.Address, "bob", "Advisor");
        using var client = rig.Console.CreateHttpClient();

        for (var i = 0; i < 5; i++)
        {
            var wrong = await client.PostAsJsonAsync("/api/account/login", new { userName = "alice", password = "not-the-password" });
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        var throttled = await client.PostAsJsonAsync("/api/account/login", new { userName = "ALICE", password = TestAccounts.Password });
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.True(throttled.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After in seconds");
        Assert.Equal("application/problem+json", throttled.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/account/login", new { userName = "bob", password = TestAccounts.Password })).StatusCode);
        Assert.Equal(0, await rig.Database.CountAsync("SELECT count(*) FROM console.users WHERE lockout_end IS NOT NULL"));
        var alice = "(SELECT id::text FROM console.users WHERE user_name = 'alice')";
        Assert.Equal(5, await rig.Database.CountAsync($"SELECT count(*) FROM console.audit_entries WHERE action = 'SignInFailed' AND target = {alice} AND client_address IS NOT NULL"));
        Assert.Equal(2, await rig.Database.CountAsync("SELECT count(*) FROM console.audit_entries WHERE action = 'SignedIn' AND target = (SELECT id::text FROM console.users WHERE user_name = 'bob')"));
    }

    [Fact]
    public async Task Sign_in_is_limited_per_client_address_with_a_429_and_Retry_After()
    {
        await using var rig = await ConsoleRig.StartAsync(new Dictionary<string, string?> { ["SignInLimits:PerClient"] = "3", ["SignInLimits:ClientWindow"] = "00:10:00" });
        using var client = rig.Console.CreateHttpClient();
        var statuses = new List<HttpStatusCode>();

        for (var i = 0; i < 4; i++)
        {
            statuses.Add((await client.PostAsJsonAsync("/api/account/login", new { userName = $"nobody-{i}", password = "not-the-password" })).StatusCode);
        }

        var limited = await client.PostAsJsonAsync("/api/account/login", new { userName = TestAccounts.AdminUserName, password = TestAccounts.Password });
        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After in seconds");
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("{\"userName\": \"alice\", ")]
    [InlineData("[]")]
    [InlineData("{\"userName\": \"\", \"password\": \"\"}")]
    [InlineData("{\"userName\": 42, \"password\": true}")]
    public async Task Malformed_sign_in_is_a_400_problem_and_counts_as_no_attempt(string body)
    {
        await using var rig = await ConsoleRig.StartAsync();
        using var client = rig.Console.CreateHttpClient();

        var response = await client.PostAsync("/api/account/login", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await rig.Database.CountAsync("SELECT count(*) FROM console.users WHERE access_failed_count > 0"));
    }

    [Fact]
    public async Task Browser_session_cookie_needs_the_antiforgery_header_to_sign_out()
    {
        await using var rig = await ConsoleRig.StartAsync();
        await TestAccounts.EnsureUserAsync(rig.Console.Address, "alice", "Advisor");
        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer() };
        using var browser = new HttpClient(handler) { BaseAddress = rig.Console.Address };

        var login = await browser.PostAsJsonAsync("/api/account/login?useCookies=true", new { userName = "alice", password = TestAccounts.Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var cookie = Assert.Single(handler.CookieContainer.GetCookies(rig.Console.Address), c => c.Name == "helpline.session");
        Assert.True(cookie.HttpOnly);
        var me = await browser.GetFromJsonAsync<JsonElement>("/api/account/me");
        Assert.Equal("alice", me.GetProperty("userName").GetString());
        Assert.Equal("Advisor", Assert.Single(me.GetProperty("roles").EnumerateArray()).GetString());

        var forged = await browser.PostAsync("/api/account/logout", null);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/account/me")).StatusCode);

        var antiforgery = await browser.GetFromJsonAsync<JsonElement>("/api/account/antiforgery");
        using var logout = new HttpRequestMessage(HttpMethod.Post, "/api/account/logout");
        logout.Headers.Add(antiforgery.GetProperty("headerName").GetString()!, antiforgery.GetProperty("token").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await browser.SendAsync(logout)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/account/me")).StatusCode);
    }

    [Fact]
    public async Task Every_api_and_hub_refuses_anonymous_and_wrong_role_callers()
    {
        await using var rig = await ConsoleRig.StartAsync();
        var address = rig.Console.Address;
        using var anonymous = rig.Console.CreateHttpClient();
        using var advisor = await TestAccounts.ClientAsync(address, await TestAccounts.EnsureUserAsync(address, "alice", "Advisor"));
        var supervisorToken = await TestAccounts.EnsureUserAsync(address, "sam", "Supervisor");
        using var supervisor = await TestAccounts.ClientAsync(address, supervisorToken);

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/account/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/admin/users")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/routing/queue")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/hubs/advisor/negotiate?negotiateVersion=1", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await advisor.GetAsync("/api/admin/users")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await advisor.PostAsJsonAsync("/api/admin/users", new { userName = "x", password = TestAccounts.Password, roles = AdminRole })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await advisor.GetAsync("/api/routing/queue")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await supervisor.GetAsync("/api/admin/users")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await supervisor.PostAsync("/hubs/advisor/negotiate?negotiateVersion=1", null)).StatusCode);

        await using var wrongRole = new HubConnectionBuilder()
            .WithUrl(new Uri(address, "/hubs/advisor"), HttpTransportType.WebSockets, o =>
            {
                o.SkipNegotiation = true;
                o.AccessTokenProvider = () => Task.FromResult<string?>(supervisorToken);
            })
            .Build();
        await Assert.ThrowsAnyAsync<Exception>(() => wrongRole.StartAsync());
    }

    [Fact]
    public async Task Admin_refuses_invalid_accounts_and_disabling_signs_the_advisor_out()
    {
        await using var rig = await ConsoleRig.StartAsync();
        var address = rig.Console.Address;
        using var admin = await TestAccounts.ClientAsync(address, await TestAccounts.LoginAsync(address, TestAccounts.AdminUserName));
        var usersBefore = await rig.Database.CountAsync("SELECT count(*) FROM console.users");

        var invalid = new object[]
        {
            new { userName = "Bad Name", password = TestAccounts.Password, roles = new[] { "Advisor" } },
            new { userName = "short", password = "short", roles = new[] { "Advisor" } },
            new { userName = "norole", password = TestAccounts.Password, roles = Array.Empty<string>() },
            new { userName = "godmode", password = TestAccounts.Password, roles = new[] { "Root" } },
            new { userName = "badphone", password = TestAccounts.Password, roles = new[] { "Advisor" }, callEndpoint = "javascript:alert(1)" },
            new { userName = TestAccounts.AdminUserName, password = TestAccounts.Password, roles = new[] { "Advisor" } },
        };
        foreach (var body in invalid)
        {
            var response = await admin.PostAsJsonAsync("/api/admin/users", body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(usersBefore, await rig.Database.CountAsync("SELECT count(*) FROM console.users"));

        var alice = await rig.AvailableAdvisorAsync("alice");
        var aliceId = (await (await TestAccounts.ClientAsync(address, await TestAccounts.LoginAsync(address, "alice"))).GetFromJsonAsync<JsonElement>("/api/account/me")).GetProperty("userId").GetGuid();
        var disable = await admin.PutAsJsonAsync($"/api/admin/users/{aliceId}", new { disabled = true });
        Assert.Equal(HttpStatusCode.OK, disable.StatusCode);

        await Eventually.WaitAsync(() => Task.FromResult(alice.Connection.State), s => s != HubConnectionState.Connected, ConsoleRig.Timeout, "alice's hub connection closed");
        await Eventually.WaitAsync(() => SignOutTests.RoutingStatusAsync(address, aliceId), s => s == "Offline", ConsoleRig.Timeout, "alice Offline");
        using var client = rig.Console.CreateHttpClient();
        var login = await client.PostAsJsonAsync("/api/account/login", new { userName = "alice", password = TestAccounts.Password });
        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);

        // The admin's actions are audited (the account's id, never its password); the refused ones are not.
        Assert.Equal(1, await rig.Database.CountAsync($"SELECT count(*) FROM console.audit_entries WHERE action = 'account.created' AND target = '{aliceId}' AND detail = 'Advisor' AND actor_id IS NOT NULL"));
        Assert.Equal(1, await rig.Database.CountAsync($"SELECT count(*) FROM console.audit_entries WHERE action = 'account.updated' AND target = '{aliceId}' AND detail = 'disabled'"));
        Assert.Equal(1, await rig.Database.CountAsync("SELECT count(*) FROM console.audit_entries WHERE action = 'account.created'"));
        Assert.Equal(0, await rig.Database.CountAsync($"SELECT count(*) FROM console.audit_entries WHERE detail ILIKE '%{TestAccounts.Password}%'"));
    }
}
