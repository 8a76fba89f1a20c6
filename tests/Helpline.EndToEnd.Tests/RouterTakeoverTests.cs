using System.Text.Json;
using Helpline.Testing;
using Microsoft.AspNetCore.SignalR.Client;

namespace Helpline.EndToEnd.Tests;

/// <summary>
/// Two Console instances as real processes on one broker and database. The first to start holds
/// the routing queue; it is killed outright in the middle of the traffic, and the other takes over.
/// </summary>
public sealed class RouterTakeoverTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Killing_the_routing_instance_loses_duplicates_and_strands_no_contact()
    {
        await using var slice = (await Slice.CreateAsync()).StartIntake();
        var settings = HelplineSettings.For(slice.Database, slice.VirtualHost);
        settings["Routing:OfferTimeout"] = "00:00:03";
        settings["Routing:WrapUp"] = "00:00:00";
        var logs = Path.Combine(Path.GetTempPath(), $"takeover-{Guid.NewGuid():N}");
        Directory.CreateDirectory(logs);
        using var routing = await ServiceProcess.StartAsync("Console", settings, Path.Combine(logs, "console-a.log"));
        using var standby = await ServiceProcess.StartAsync("Console", settings, Path.Combine(logs, "console-b.log"));

        var onRouting = await Task.WhenAll(Enumerable.Range(0, 2).Select(i => AutopilotAsync(routing.Address, $"a{i}")));
        var onStandby = await Task.WhenAll(Enumerable.Range(0, 2).Select(i => AutopilotAsync(standby.Address, $"b{i}")));

        var contacts = new List<Guid>();
        for (var i = 0; i < 6; i++)
        {
            contacts.Add(await slice.PostCallAsync($"takeover-{Guid.NewGuid():N}"));
        }

        await WaitForAsync(slice, contacts.Take(3), "Completed", "the first calls completed before the kill");
        Assert.Contains(onStandby, advisor => advisor.Received("ContactOffered").Any());
        Assert.Contains(onRouting, advisor => advisor.Received("ContactOffered").Any());

        routing.Kill();
        var reconnected = await Task.WhenAll(Enumerable.Range(0, 2).Select(i => AutopilotAsync(standby.Address, $"a{i}")));
        for (var i = 0; i < 6; i++)
        {
            contacts.Add(await slice.PostCallAsync($"takeover-{Guid.NewGuid():N}"));
        }

        await WaitForAsync(slice, contacts, "Completed", "every call completed after the take-over");
        foreach (var contactId in contacts)
        {
            Assert.Equal(1, await slice.Database.CountAsync($"SELECT count(*) FROM console.contacts WHERE id = '{contactId}'"));
            Assert.Equal(1, await slice.Database.CountAsync($"SELECT count(*) FROM console.contact_events WHERE contact_id = '{contactId}' AND type = 'Assigned'"));
            Assert.Equal(1, await slice.Database.CountAsync($"SELECT count(*) FROM console.contact_events WHERE contact_id = '{contactId}' AND type = 'Ended'"));
        }

        Assert.Contains(reconnected, advisor => advisor.Received("ContactOffered").Any());
        foreach (var advisor in onStandby.Concat(reconnected))
        {
            await advisor.DisposeAsync();
        }
    }

    private static async Task WaitForAsync(Slice slice, IEnumerable<Guid> contactIds, string status, string what)
    {
        var ids = string.Join(",", contactIds.Select(id => $"'{id}'"));
        var expected = ids.Split(',').Length;
        await Eventually.WaitAsync(
            () => slice.Database.CountAsync($"SELECT count(*) FROM console.contacts WHERE id IN ({ids}) AND status = '{status}'"),
            n => n == expected, Timeout, what);
    }

    /// <summary>An advisor who accepts every offer and completes each call at once.</summary>
    private static async Task<AdvisorClient> AutopilotAsync(Uri console, string name)
    {
        var advisor = await AdvisorClient.ConnectAsync(console, name);
        advisor.Connection.On<JsonElement>("ContactOffered", offer =>
            _ = Task.Run(() => advisor.Connection.InvokeAsync("AcceptOffer", offer.GetProperty("offerId").GetInt64())));
        advisor.Connection.On<JsonElement>("ContactAssigned", assigned =>
            _ = Task.Run(() => advisor.Connection.InvokeAsync("CompleteContact", assigned.GetProperty("contactId").GetGuid())));
        await advisor.GoAvailableAsync(Timeout);
        return advisor;
    }
}
