using Helpline.Intake.Data;
using Helpline.Intake.Tests.Telephony;
using Helpline.Intake.Web;
using Microsoft.Extensions.Options;

namespace Helpline.Intake.Tests.Hours;

/// <summary>The anonymous hours are rate limited per client address (as the trusted proxy names it), on a running Intake.</summary>
public sealed class OpeningHoursLimitTests
{
    private static async Task<HttpResponseMessage> HoursAsync(HttpClient client, string clientAddress, string path = "/api/opening-hours")
    {
        // The test connects from loopback, a trusted proxy, so Intake believes the client address it names.
        using var request = new HttpRequestMessage(HttpMethod.Get, path) { Headers = { { "X-Forwarded-For", clientAddress } } };
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task Rate_limit_answers_429_with_Retry_After_to_one_client_address_only()
    {
        await using var database = TestDatabase.Create("intake_limits");
        await using var virtualHost = await TestVirtualHost.CreateAsync();
        await database.MigrateAsync<IntakeDbContext>(IntakeDbContext.Schema, options => new IntakeDbContext(options));
        var settings = HelplineSettings.AlwaysOpenFor(database, virtualHost);
        settings["RateLimits:PermitsPerWindow"] = "3";
        settings["RateLimits:Window"] = "00:10:00";
        await using var intake = new ServiceHost<IntakeDbContext>(settings).Start();
        using var client = intake.CreateHttpClient();

        var underTheLimit = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            underTheLimit.Add((await HoursAsync(client, "203.0.113.7")).StatusCode);
        }

        using var limited = await HoursAsync(client, "203.0.113.7");
        using var otherClient = await HoursAsync(client, "203.0.113.8");
        using var health = await HoursAsync(client, "203.0.113.7", "/health/live");

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK], underTheLimit);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        var retryAfter = limited.Headers.RetryAfter?.Delta;
        Assert.True(retryAfter > TimeSpan.Zero && retryAfter <= TimeSpan.FromMinutes(10), $"Retry-After in seconds within the window, was {retryAfter}");
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        var problem = await limited.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        Assert.Equal("Too many requests from this address.", problem.GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.OK, otherClient.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Theory]
    [InlineData("RateLimits:PermitsPerWindow", "0")]
    [InlineData("RateLimits:Window", "00:00:00")]
    [InlineData("RateLimits:Window", "2.00:00:00")]
    public async Task Intake_with_invalid_rate_limits_does_not_start(string key, string value)
    {
        await using var virtualHost = await TestVirtualHost.CreateAsync();
        var settings = HelplineSettings.AlwaysOpenFor(TestDatabase.Create("intake_badlimits"), virtualHost);
        settings[key] = value;
        await using var host = new IntakeHost(settings, TimeProvider.System);

        var failure = Assert.ThrowsAny<Exception>(() => host.CreateClient());

        var validation = Assert.IsType<OptionsValidationException>(failure is OptionsValidationException ? failure : failure.InnerException ?? failure);
        Assert.Equal(typeof(RateLimitOptions), validation.OptionsType);
    }

    [Fact]
    public void Defaults_are_sixty_a_minute() =>
        Assert.Equal((60, TimeSpan.FromMinutes(1)), (new RateLimitOptions().PermitsPerWindow, new RateLimitOptions().Window));
}
