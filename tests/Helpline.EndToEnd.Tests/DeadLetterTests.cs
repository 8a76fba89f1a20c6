using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Helpline.Contracts;
using Helpline.ServiceDefaults.Faults;
using Helpline.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.EndToEnd.Tests;

/// <summary>A message that cannot succeed is dead-lettered, seen (metrics, health) and replayed once its cause is fixed.</summary>
public sealed class DeadLetterTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_hang_up_for_a_contact_never_received_is_dead_lettered_counted_degrades_health_and_is_replayed_after_the_contact_arrives()
    {
        await using var slice = (await Slice.CreateAsync(settings: new Dictionary<string, string?> { ["DeadLetters:PollInterval"] = "00:00:00.500" })).StartConsole();
        using var client = slice.Console!.CreateHttpClient();
        var bus = slice.Console.Services.GetRequiredService<IBus>();
        var contactId = Guid.NewGuid();

        await bus.Publish(new CallerHungUp { ContactId = contactId, At = DateTimeOffset.UtcNow });

        await Eventually.WaitAsync(() => slice.VirtualHost.QueueDepthAsync("routing_error"), depth => depth == 1, Timeout, "the hang-up in routing_error");
        await Eventually.WaitAsync(() => client.GetStringAsync("/metrics"), metrics => Value(metrics, "helpline_messaging_dead_lettered_total", "endpoint=\"routing\"") == 1, Timeout, "the dead letter counted");
        await Eventually.WaitAsync(() => client.GetStringAsync("/metrics"), metrics => Value(metrics, "helpline_dead_letters", "place=\"routing_error\"") == 1, Timeout, "the held dead letter gauged");
        await Eventually.WaitAsync(() => ReadyAsync(client), ready => ready.Status == "Degraded" && ready.DeadLetters == "Degraded", Timeout, "health degraded by the dead letter");

        // Supervisors and admins see it listed, with where it is held; nobody else may look.
        using var supervisor = await TestAccounts.ClientAsync(slice.Console.Address, await TestAccounts.EnsureUserAsync(slice.Console.Address, "dead-letter-supervisor", "Supervisor"));
        using var admin = await TestAccounts.ClientAsync(slice.Console.Address, await TestAccounts.LoginAsync(slice.Console.Address, TestAccounts.AdminUserName));
        using var advisorClient = await TestAccounts.ClientAsync(slice.Console.Address, await TestAccounts.EnsureUserAsync(slice.Console.Address, "dead-letter-reader", "Advisor"));
        var listed = await Eventually.WaitAsync(
            () => supervisor.GetFromJsonAsync<JsonElement>("/api/dead-letters"),
            list => list.GetProperty("held").EnumerateArray().Any(h => h.GetProperty("place").GetString() == "routing_error"),
            Timeout,
            "the dead letter in the supervisors' list");
        var held = Assert.Single(listed.GetProperty("held").EnumerateArray());
        Assert.Equal("Helpline.Console", held.GetProperty("service").GetString());
        Assert.Equal(1, held.GetProperty("count").GetInt64());
        Assert.True(listed.GetProperty("reported").TryGetProperty("Helpline.Console", out _));
        Assert.Equal(System.Net.HttpStatusCode.OK, (await admin.GetAsync("/api/dead-letters")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await advisorClient.GetAsync("/api/dead-letters")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await client.GetAsync("/api/dead-letters")).StatusCode);

        // Malformed or forged reports on the bus change nothing: the list still answers, without them.
        foreach (var bad in new DeadLettersCounted[]
                 {
                     new() { Service = "", At = DateTimeOffset.UtcNow, Held = [] },
                     new() { Service = "Forged.NoHeld", At = DateTimeOffset.UtcNow, Held = null! },
                     new() { Service = "Forged.Future", At = DateTimeOffset.UtcNow.AddDays(1), Held = [] },
                     new() { Service = "Forged.Negative", At = DateTimeOffset.UtcNow, Held = [new DeadLetterCount("routing_error", null, -5)] },
                     new() { Service = "Forged.Long", At = DateTimeOffset.UtcNow, Held = [new DeadLetterCount(new string('x', 10_000), null, 1)] },
                     new() { Service = "Helpline.Console", At = DateTimeOffset.UtcNow.AddDays(1), Held = [] },
                 })
        {
            await bus.Publish(bad);
        }

        // A real report counted after the forgeries: they have been through the same queue by then.
        var published = DateTimeOffset.UtcNow.AddSeconds(1);
        var afterForgery = await Eventually.WaitAsync(
            () => supervisor.GetFromJsonAsync<JsonElement>("/api/dead-letters"),
            list => list.GetProperty("reported").TryGetProperty("Helpline.Console", out var at) && at.GetDateTimeOffset() > published && at.GetDateTimeOffset() < published.AddHours(1),
            Timeout,
            "a real report after the forged ones");
        Assert.DoesNotContain(afterForgery.GetProperty("reported").EnumerateObject(), p => p.Name.StartsWith("Forged", StringComparison.Ordinal) || p.Name.Length == 0);
        Assert.Single(afterForgery.GetProperty("held").EnumerateArray(), h => h.GetProperty("place").GetString() == "routing_error" && h.GetProperty("count").GetInt64() == 1);
        Assert.All(await slice.VirtualHost.DeadLettersAsync(), q => Assert.True(q.Key == "routing_error" || q.Value == 0, $"{q.Key} holds {q.Value}"));

        var listing = new StringWriter();
        await DeadLetterCommands.RunAsync(slice.Console.Services, [], listing);
        Assert.Equal("routing_error\t-\t1", listing.ToString().Trim());

        // The cause fixed: the call the hang-up is about arrives (and waits, offered to the advisor signed in).
        await using var advisor = await slice.AvailableAdvisorAsync("dead-letter-advisor");
        await bus.Publish(new ContactReceived { ContactId = contactId, Channel = ContactChannel.Call, ProviderReference = $"replay-{contactId:N}", ReceivedAt = DateTimeOffset.UtcNow });
        await advisor.WaitForOfferAsync(contactId, Timeout);
        Assert.Equal(0, await slice.Database.CountAsync($"SELECT count(*) FROM console.contacts WHERE id = '{contactId}' AND ended_at IS NOT NULL"));

        var replay = new StringWriter();
        await DeadLetterCommands.RunAsync(slice.Console.Services, ["replay"], replay);
        Assert.Equal("1 message(s) replayed", replay.ToString().Trim());

        await Eventually.WaitAsync(
            () => slice.Database.CountAsync($"SELECT count(*) FROM console.contacts WHERE id = '{contactId}' AND ended_at IS NOT NULL"),
            count => count == 1, Timeout, "the replayed hang-up applied");
        // The management API's figures lag the queue by a few seconds.
        await Eventually.WaitAsync(() => slice.VirtualHost.QueueDepthAsync("routing_error"), depth => depth == 0, Timeout, "routing_error empty");
        await Eventually.WaitAsync(() => ReadyAsync(client), ready => ready.DeadLetters == "Healthy", Timeout, "health back once nothing is held");
        await Eventually.WaitAsync(
            () => supervisor.GetFromJsonAsync<JsonElement>("/api/dead-letters"),
            list => list.GetProperty("held").GetArrayLength() == 0,
            Timeout,
            "the supervisors' list empty once nothing is held");
    }

    private static async Task<(string Status, string? DeadLetters)> ReadyAsync(HttpClient client)
    {
        var body = await client.GetFromJsonAsync<JsonElement>("/health/ready");
        return (body.GetProperty("status").GetString()!, body.GetProperty("checks").TryGetProperty("dead-letters", out var check) ? check.GetString() : null);
    }

    /// <summary>The value of the first sample of <paramref name="metric"/> whose labels contain <paramref name="label"/>; null when there is none.</summary>
    private static double? Value(string scrape, string metric, string label) =>
        scrape.Split('\n')
            .Where(line => line.StartsWith(metric + "{", StringComparison.Ordinal) && line.Contains(label, StringComparison.Ordinal))
            .Select(line => (double?)double.Parse(line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture))
            .FirstOrDefault();
}
