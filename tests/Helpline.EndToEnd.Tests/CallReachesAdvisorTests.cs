using System.Collections.Concurrent;
using System.Diagnostics;
using Helpline.Testing;
using Microsoft.AspNetCore.SignalR.Client;

namespace Helpline.EndToEnd.Tests;

public sealed class CallReachesAdvisorTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly ActivitySource TestSource = new("Helpline.EndToEnd.Tests");

    [Fact]
    public async Task Posted_call_is_offered_to_a_connected_advisor_under_one_trace()
    {
        var activities = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name.StartsWith("Helpline.", StringComparison.Ordinal) || source.Name is "MassTransit" or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Add,
        };
        ActivitySource.AddActivityListener(listener);
        await using var slice = (await Slice.CreateAsync()).StartConsole().StartIntake();
        await using var advisor = await slice.AvailableAdvisorAsync("alice");
        using var caller = TestSource.StartActivity("provider webhook", ActivityKind.Client)!;
        var traceId = caller.TraceId;

        var contactId = await slice.PostCallAsync($"e2e-{Guid.NewGuid():N}");
        caller.Stop();

        var offer = await advisor.WaitForOfferAsync(contactId, Timeout);
        Assert.Equal("Call", offer.GetProperty("channel").GetString());
        Assert.True(offer.GetProperty("offerId").GetInt64() > 0);
        Assert.False(offer.GetProperty("withheld").GetBoolean());
        Assert.DoesNotContain("7700900123", offer.GetRawText(), StringComparison.Ordinal);
        var send = await Eventually.WaitAsync(
            () => Task.FromResult(activities.FirstOrDefault(a => a.OperationName == "signalr send ContactOffered" && Equals(a.GetTagItem("helpline.contact.id"), contactId))),
            a => a is not null, Timeout, "the SignalR send span");
        Assert.Equal(traceId, send!.TraceId);
        Assert.Contains(activities, a => a.Source.Name == "MassTransit" && a.Kind == ActivityKind.Consumer && a.TraceId == traceId);
        Assert.Contains(activities, a => a.OperationName == "outbox publish" && a.TraceId == traceId);
        Assert.Contains(activities, a => a.Source.Name == "Microsoft.AspNetCore" && a.Kind == ActivityKind.Server && a.TraceId == traceId);
    }

    [Fact]
    public async Task Call_posted_while_Console_is_stopped_waits_in_RabbitMQ_and_reaches_Console_when_it_is_back()
    {
        await using var slice = (await Slice.CreateAsync()).StartConsole().StartIntake();
        await slice.StopConsoleAsync();

        var contactId = await slice.PostCallAsync($"e2e-{Guid.NewGuid():N}");

        await Eventually.WaitAsync(
            () => slice.Database.CountAsync($"SELECT count(*) FROM intake.outbox_messages WHERE sent_at IS NOT NULL AND payload->>'contactId' = '{contactId}'"),
            n => n == 1, Timeout, "the call published while Console is down");
        await Eventually.WaitAsync(() => slice.VirtualHost.QueueDepthAsync("routing"), n => n == 1, Timeout, "the message waiting in Console's queue (management statistics lag a few seconds)");
        Assert.Equal(0, await slice.Database.CountAsync($"SELECT count(*) FROM console.contacts WHERE id = '{contactId}'"));
        slice.StartConsole();
        await Eventually.WaitAsync(
            () => slice.Database.CountAsync($"SELECT count(*) FROM console.contacts WHERE id = '{contactId}'"),
            n => n == 1, Timeout, "Console to take in the call after restart");
    }

    [Fact]
    public async Task Same_call_posted_twice_is_offered_once()
    {
        await using var slice = (await Slice.CreateAsync()).StartConsole().StartIntake();
        await using var alice = await slice.AvailableAdvisorAsync("alice");
        await using var bob = await slice.AvailableAdvisorAsync("bob");
        var providerCallId = $"e2e-{Guid.NewGuid():N}";

        var first = await slice.PostCallAsync(providerCallId);
        var second = await slice.PostCallAsync(providerCallId);
        var marker = await slice.PostCallAsync($"e2e-{Guid.NewGuid():N}");

        Assert.Equal(first, second);
        await Eventually.WaitAsync(() => Task.FromResult(alice.OffersFor(marker) + bob.OffersFor(marker)), n => n == 1, Timeout, "the marker call offered");
        Assert.Equal(1, alice.OffersFor(first) + bob.OffersFor(first));
        Assert.Equal(1, await slice.Database.CountAsync($"SELECT count(*) FROM console.contacts WHERE id = '{first}'"));
        Assert.Equal(HubConnectionState.Connected, alice.Connection.State);
    }
}
