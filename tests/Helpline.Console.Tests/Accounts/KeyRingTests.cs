using System.Security.Cryptography;
using Helpline.Console.Data;

namespace Helpline.Console.Tests.Accounts;

/// <summary>The Data Protection key ring: shared by every Console instance, kept over restarts, encrypted at rest.</summary>
public sealed class KeyRingTests
{
    private static async Task<string> CookieAsync(Uri console)
    {
        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer() };
        using var browser = new HttpClient(handler) { BaseAddress = console };
        var login = await browser.PostAsJsonAsync("/api/account/login?useCookies=true", new { userName = "alice", password = TestAccounts.Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        return Assert.Single(handler.CookieContainer.GetCookies(console), c => c.Name == "helpline.session").Value;
    }

    private static async Task<HttpStatusCode> MeWithTokenAsync(Uri console, string token)
    {
        using var client = await TestAccounts.ClientAsync(console, token);
        return (await client.GetAsync("/api/account/me")).StatusCode;
    }

    private static async Task<HttpStatusCode> MeWithCookieAsync(Uri console, string cookie)
    {
        using var client = new HttpClient { BaseAddress = console };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/account/me");
        request.Headers.Add("Cookie", $"helpline.session={cookie}");
        return (await client.SendAsync(request)).StatusCode;
    }

    [Fact]
    public async Task A_token_and_a_cookie_from_one_instance_are_accepted_by_another_and_after_a_restart()
    {
        await using var rig = await ConsoleRig.StartAsync();
        var token = await TestAccounts.EnsureUserAsync(rig.Console.Address, "alice", "Advisor");
        var cookie = await CookieAsync(rig.Console.Address);

        await using (var second = rig.StartAnotherInstance())
        {
            Assert.Equal(HttpStatusCode.OK, await MeWithTokenAsync(second.Address, token));
            Assert.Equal(HttpStatusCode.OK, await MeWithCookieAsync(second.Address, cookie));
        }

        await rig.Console.DisposeAsync();
        await using var restarted = rig.StartAnotherInstance();
        Assert.Equal(HttpStatusCode.OK, await MeWithTokenAsync(restarted.Address, token));
        Assert.Equal(HttpStatusCode.OK, await MeWithCookieAsync(restarted.Address, cookie));
        Assert.Equal(HttpStatusCode.Unauthorized, await MeWithTokenAsync(restarted.Address, token[..^4] + "AAAA"));
    }

    [Fact]
    public async Task The_stored_keys_hold_no_plaintext_master_key()
    {
        await using var rig = await ConsoleRig.StartAsync();
        await TestAccounts.EnsureUserAsync(rig.Console.Address, "alice", "Advisor");

        Assert.True(await rig.Database.CountAsync("SELECT count(*) FROM console.data_protection_keys") >= 1);
        Assert.Equal(0, await rig.Database.CountAsync("SELECT count(*) FROM console.data_protection_keys WHERE xml LIKE '%masterKey%' OR xml NOT LIKE '%<encryptedSecret%'"));
        Assert.Contains("KeyRingDecryptor", await rig.Database.TextAsync("SELECT xml FROM console.data_protection_keys LIMIT 1"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_instance_with_another_key_encryption_key_refuses_to_start_and_says_why()
    {
        await using var rig = await ConsoleRig.StartAsync();
        await TestAccounts.EnsureUserAsync(rig.Console.Address, "alice", "Advisor");
        var keys = await rig.Database.CountAsync("SELECT count(*) FROM console.data_protection_keys");
        var settings = HelplineSettings.For(rig.Database, rig.VirtualHost);
        settings["DataProtection:KeyEncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

        var refusal = Assert.ThrowsAny<Exception>(() =>
        {
            using var wrong = new ServiceHost<ConsoleDbContext>(settings).Start();
        });

        Assert.Contains("DataProtection:KeyEncryptionKey does not decrypt the Data Protection key ring", refusal.ToString(), StringComparison.Ordinal);
        Assert.Equal(keys, await rig.Database.CountAsync("SELECT count(*) FROM console.data_protection_keys"));
    }
}
