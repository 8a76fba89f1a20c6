using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Helpline.Testing;

namespace Helpline.EndToEnd.Tests;

/// <summary>
/// PostgreSQL goes away under both services (a proxy of the test's own resets every connection and
/// refuses new ones, as a server stopped with <c>-m immediate</c> does) while calls keep coming from a
/// provider that retries anything but a 2xx.
/// </summary>
public sealed class DatabaseOutageTests
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_database_outage_during_traffic_is_waited_out_no_message_is_dead_lettered_and_every_stored_call_reaches_the_router()
    {
        await using var slice = await Slice.CreateAsync();
        await using var postgres = slice.ProxyPostgres();
        slice.StartConsole().StartIntake();
        using var client = await slice.Intake!.CreateIntegrationClientAsync("calls");

        var accepted = new List<Guid>();
        var refusals = new List<HttpStatusCode>();
        var clock = Stopwatch.StartNew();
        var cutAt = TimeSpan.FromSeconds(2);
        var restored = false;
        var callsAfter = 0;
        var call = 0;
        while (callsAfter < 5)
        {
            if (!restored && clock.Elapsed >= cutAt && clock.Elapsed < cutAt + Outage)
            {
                postgres.Cut();
            }
            else if (!restored && clock.Elapsed >= cutAt + Outage)
            {
                postgres.Restore();
                restored = true;
            }

            var providerCallId = $"outage-{call}-{Guid.NewGuid():N}";
            while (true)
            {
                // The provider's retry of the same call: same id, until a 2xx.
                using var response = await client.PostAsJsonAsync("/api/calls", new { providerCallId, callerNumber = "+447700900123", dialledNumber = "+448088020300" });
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    accepted.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("contactId").GetGuid());
                    break;
                }

                refusals.Add(response.StatusCode);
                if (clock.Elapsed >= cutAt + Outage && !restored)
                {
                    postgres.Restore();
                    restored = true;
                }

                await Task.Delay(200);
            }

            call++;
            callsAfter += restored ? 1 : 0;
            await Task.Delay(150);
        }

        Assert.NotEmpty(refusals);
        Assert.All(refusals, status => Assert.Equal(HttpStatusCode.ServiceUnavailable, status));

        var ids = string.Join(',', accepted.Select(id => $"'{id}'"));
        await Eventually.WaitAsync(
            () => slice.Database.CountAsync($"SELECT count(*) FROM console.contacts WHERE id IN ({ids})"),
            count => count == accepted.Count, Timeout, $"all {accepted.Count} stored calls taken in by the router");
        await Eventually.WaitAsync(
            () => slice.Database.CountAsync("SELECT count(*) FROM intake.outbox_messages WHERE sent_at IS NULL"),
            count => count == 0, Timeout, "Intake's outbox drained");
        await Eventually.WaitAsync(
            () => slice.Database.CountAsync("SELECT count(*) FROM intake.inbound_calls WHERE state = 'Queued'"),
            count => count == 0, Timeout, "every call turned away (no advisor is signed in) by Console's command to Intake");
        Assert.Equal(accepted.Count, await slice.Database.CountAsync("SELECT count(*) FROM console.contacts"));
        Assert.Empty(await slice.VirtualHost.DeadLettersAsync());
        foreach (var service in new[] { slice.Intake!.Address, slice.Console!.Address })
        {
            using var metrics = new HttpClient { BaseAddress = service };
            Assert.DoesNotContain("helpline_messaging_dead_lettered_total{", await metrics.GetStringAsync("/metrics"), StringComparison.Ordinal);
        }
    }
}
