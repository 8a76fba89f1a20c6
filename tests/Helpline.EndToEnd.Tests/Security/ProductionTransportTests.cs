using System.Net;
using System.Net.Http.Json;
using Helpline.Testing;

namespace Helpline.EndToEnd.Tests.Security;

/// <summary>
/// Both services as they run in Production behind their HTTPS proxy: metrics and the API description only
/// on the management port, HSTS and Secure cookies for requests the (trusted, loopback) proxy says came
/// over HTTPS, and a Host header the service does not own refused.
/// </summary>
public sealed class ProductionTransportTests
{
    private const string PublicHost = "helpline.test";

    [Fact]
    public async Task In_production_metrics_and_openapi_are_only_on_the_management_port_and_https_gets_HSTS_and_secure_cookies()
    {
        var intakeManagement = TestServers.FreePort();
        var consoleManagement = TestServers.FreePort();
        await using var slice = (await Slice.CreateAsync(settings: new Dictionary<string, string?>
        {
            ["environment"] = "Production",
            ["AllowedHosts"] = $"{PublicHost};127.0.0.1",
        }))
            .Set("urls", $"http://127.0.0.1:0;http://127.0.0.1:{intakeManagement}").Set("Transport:ManagementPort", $"{intakeManagement}").StartIntake()
            .Set("urls", $"http://127.0.0.1:0;http://127.0.0.1:{consoleManagement}").Set("Transport:ManagementPort", $"{consoleManagement}").StartConsole();

        foreach (var (service, management) in new[] { (slice.Intake!.Address, intakeManagement), (slice.Console!.Address, consoleManagement) })
        {
            Assert.NotEqual(management, service.Port);
            using var publicSide = new HttpClient { BaseAddress = service };
            using var managementSide = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{management}") };
            foreach (var path in new[] { "/metrics", "/openapi/v1.json", "/openapi/index.html" })
            {
                Assert.Equal(HttpStatusCode.NotFound, (await publicSide.GetAsync(path)).StatusCode);
                // Naming the management port in the Host header does not help: the port the connection came in on decides.
                using var spoofed = new HttpRequestMessage(HttpMethod.Get, path) { Headers = { Host = $"127.0.0.1:{management}" } };
                Assert.Equal(HttpStatusCode.NotFound, (await publicSide.SendAsync(spoofed)).StatusCode);
                Assert.Equal(HttpStatusCode.OK, (await managementSide.GetAsync(path)).StatusCode);
            }

            Assert.Contains("helpline_", await managementSide.GetStringAsync("/metrics"), StringComparison.Ordinal);

            using var viaProxy = Request(HttpMethod.Get, "/health/live", https: true);
            Assert.Contains("max-age=31536000", Assert.Single((await publicSide.SendAsync(viaProxy)).Headers.GetValues("Strict-Transport-Security")), StringComparison.Ordinal);
            using var plain = Request(HttpMethod.Get, "/health/live", https: false);
            Assert.False((await publicSide.SendAsync(plain)).Headers.Contains("Strict-Transport-Security"));
            using var stranger = new HttpRequestMessage(HttpMethod.Get, "/health/live") { Headers = { Host = "elsewhere.test" } };
            Assert.Equal(HttpStatusCode.BadRequest, (await publicSide.SendAsync(stranger)).StatusCode);
        }

        using var console = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = slice.Console.Address };
        using var signIn = Request(HttpMethod.Post, "/api/account/login?useCookies=true", https: true);
        signIn.Content = JsonContent.Create(new { userName = TestAccounts.AdminUserName, password = TestAccounts.Password });
        var signedIn = await console.SendAsync(signIn);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        var session = Assert.Single(signedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("helpline.session=", StringComparison.Ordinal));
        Assert.Contains("secure", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", session, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A request as the reverse proxy forwards it: the public host, and HTTPS when the client used it.</summary>
    private static HttpRequestMessage Request(HttpMethod method, string path, bool https)
    {
        var request = new HttpRequestMessage(method, path) { Headers = { Host = PublicHost } };
        if (https)
        {
            request.Headers.Add("X-Forwarded-Proto", "https");
        }

        return request;
    }
}
