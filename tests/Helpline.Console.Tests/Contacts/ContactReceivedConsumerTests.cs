using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.Json;
using Helpline.Console.Advisors;
using Helpline.Console.Data;
using Helpline.Contracts;
using Helpline.Testing;
using MassTransit;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.Console.Tests.Contacts;

public sealed class ContactReceivedConsumerTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly TestDatabase _database = TestDatabase.Create("console");
    private TestVirtualHost _virtualHost = null!;
    private ServiceHost<ConsoleDbContext> _console = null!;

    public async Task InitializeAsync()
    {
        _virtualHost = await TestVirtualHost.CreateAsync();
        await _database.MigrateAsync<ConsoleDbContext>(ConsoleDbContext.Schema, options => new ConsoleDbContext(options));
        _console = new ServiceHost<ConsoleDbContext>(HelplineSettings.For(_database, _virtualHost)).Start();
    }

    public async Task DisposeAsync()
    {
        await _console.DisposeAsync();
        await _virtualHost.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Redelivered_contact_is_stored_once_and_offered_once()
    {
        var redeliveries = 0;
        using var meters = new MeterListener();
        meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Name == "helpline.console.contacts.redelivered")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        meters.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref redeliveries, (int)value));
        meters.Start();

        var offers = new ConcurrentQueue<JsonElement>();
        await using var advisor = new HubConnectionBuilder()
            .WithUrl(new Uri(_console.Address, AdvisorHub.Path), HttpTransportType.WebSockets, o => o.SkipNegotiation = true)
            .Build();
        advisor.On<JsonElement>("ContactOffered", offers.Enqueue);
        await advisor.StartAsync();

        var message = new ContactReceived
        {
            ContactId = Guid.NewGuid(),
            Channel = ContactChannel.Call,
            ProviderReference = "redelivery-1",
            CallerKey = null,
            ReceivedAt = DateTimeOffset.UtcNow,
        };
        var bus = _console.Services.GetRequiredService<IBus>();
        await bus.Publish(message);
        await Eventually.WaitAsync(() => Task.FromResult(offers.Count), n => n == 1, Timeout, "the first offer");
        await bus.Publish(message);

        await Eventually.WaitAsync(() => Task.FromResult(Volatile.Read(ref redeliveries)), n => n == 1, Timeout, "the redelivery to be consumed");
        Assert.Equal(1, await _database.CountAsync($"SELECT count(*) FROM console.contacts WHERE id = '{message.ContactId}'"));
        Assert.Single(offers);
        Assert.True(offers.Single().GetProperty("withheld").GetBoolean());
    }
}
