using System.Net.Http.Json;
using System.Text.Json;
using Helpline.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.SignalR.Client;

namespace Helpline.Console.Tests.RouterHosting;

/// <summary>The router's state kept as a checkpoint plus a journal of inputs, rebuilt by any instance.</summary>
public sealed class RouterJournalTests
{
    private static readonly TimeSpan Timeout = ConsoleRig.Timeout;

    [Fact]
    public async Task Another_instance_rebuilds_the_same_state_from_the_checkpoint_and_the_journal_after_it()
    {
        await using var rig = await ConsoleRig.StartAsync(new Dictionary<string, string?> { ["Routing:CheckpointEvery"] = "4" });
        var alice = await rig.AvailableAdvisorAsync("alice");
        var sam = await TestAccounts.EnsureUserAsync(rig.Console.Address, "sam", "Supervisor");
        using var first = await TestAccounts.ClientAsync(rig.Console.Address, sam);
        var calls = new List<Guid>();
        var expected = default(JsonElement);
        for (var i = 0; i < 6; i++)
        {
            // One call at a time, so that each is a transition of its own (waiting inputs are committed together).
            calls.Add(await rig.CallAsync());
            expected = await Eventually.WaitAsync(
                () => first.GetFromJsonAsync<JsonElement>("/api/routing/queue"),
                v => v.GetProperty("calls").GetArrayLength() == calls.Count, Timeout, $"{calls.Count} calls in the queue view");
        }

        await alice.WaitForOfferAsync(calls[0], Timeout);

        Assert.True(await rig.Database.CountAsync("SELECT count(*) FROM console.router_checkpoints WHERE version >= 4") == 1, "a checkpoint was written");
        Assert.True(await rig.Database.CountAsync("SELECT count(*) FROM console.router_journal") <= 4, "the journal before the checkpoint was pruned");

        await using var other = rig.StartAnotherInstance();
        using var second = await TestAccounts.ClientAsync(other.Address, sam);
        var rebuilt = await second.GetFromJsonAsync<JsonElement>("/api/routing/queue");

        Assert.Equal(Describe(expected), Describe(rebuilt));
    }

    [Fact]
    public async Task The_instance_that_takes_over_routes_on_from_where_the_first_stopped()
    {
        await using var rig = await ConsoleRig.StartAsync(new Dictionary<string, string?> { ["Routing:CheckpointEvery"] = "3" });
        await using var other = rig.StartAnotherInstance();
        var alice = await rig.AvailableAdvisorAsync("alice");
        var first = await rig.CallAsync();
        var second = await rig.CallAsync();
        var offer = await alice.WaitForOfferAsync(first, Timeout);
        await alice.Connection.InvokeAsync("AcceptOffer", offer.GetProperty("offerId").GetInt64());

        await rig.Console.DisposeAsync();
        await using var bob = await AdvisorClient.ConnectAsync(other.Address, "bob");
        await bob.Connection.InvokeAsync("SetStatus", "Available", null);

        await bob.WaitForOfferAsync(second, Timeout);
        var third = Guid.NewGuid();
        await other.Services.GetRequiredService<IBus>().Publish(new Contracts.ContactReceived
        {
            ContactId = third,
            Channel = Contracts.ContactChannel.Call,
            ProviderReference = $"test-{third:N}",
            ReceivedAt = DateTimeOffset.UtcNow,
        });
        using var supervisor = await TestAccounts.ClientAsync(other.Address, await TestAccounts.EnsureUserAsync(other.Address, "sam", "Supervisor"));
        var view = await Eventually.WaitAsync(
            () => supervisor.GetFromJsonAsync<JsonElement>("/api/routing/queue"),
            v => v.GetProperty("calls").GetArrayLength() == 2, Timeout, "the second call ringing and the third waiting");
        Assert.Equal([second, third], view.GetProperty("calls").EnumerateArray().Select(c => c.GetProperty("contactId").GetGuid()));
        var advisors = view.GetProperty("advisors").EnumerateArray().ToDictionary(a => a.GetProperty("userName").GetString()!, a => a.GetProperty("status").GetString());
        Assert.Equal("OnContact", advisors["alice"]);
        Assert.Equal("Offered", advisors["bob"]);
    }

    private static string Describe(JsonElement view) =>
        string.Join(Environment.NewLine, view.GetProperty("calls").EnumerateArray()
            .Select(c => $"{c.GetProperty("contactId")} {c.GetProperty("position")} {c.GetProperty("offeredTo")}")
            .Concat(view.GetProperty("advisors").EnumerateArray()
                .Select(a => $"{a.GetProperty("userName")} {a.GetProperty("status")} {a.GetProperty("currentCall")}")));
}
