using Helpline.Console.Accounts;
using Helpline.Console.Data;
using Microsoft.AspNetCore.Http.Connections;

namespace Helpline.Console.Tests.Accounts;

public sealed class SignOutTests
{
    private static readonly TimeSpan Timeout = ConsoleRig.Timeout;

    /// <summary>The advisor's status as the router last recorded it (the supervisors' view, read as the admin).</summary>
    public static async Task<string?> RoutingStatusAsync(Uri console, Guid advisorId)
    {
        using var admin = await TestAccounts.ClientAsync(console, await TestAccounts.LoginAsync(console, TestAccounts.AdminUserName));
        var view = await admin.GetFromJsonAsync<JsonElement>("/api/routing/queue");
        return view.GetProperty("advisors").EnumerateArray()
            .Where(a => a.GetProperty("advisorId").GetGuid() == advisorId)
            .Select(a => a.GetProperty("status").GetString())
            .FirstOrDefault();
    }

    private static async Task<(string Token, Guid Id)> SignInAsync(Uri console, string name)
    {
        var token = await TestAccounts.LoginAsync(console, name);
        using var client = await TestAccounts.ClientAsync(console, token);
        return (token, (await client.GetFromJsonAsync<JsonElement>("/api/account/me")).GetProperty("userId").GetGuid());
    }

    private static async Task<HttpStatusCode> LogoutAsync(Uri console, string token)
    {
        using var client = await TestAccounts.ClientAsync(console, token);
        return (await client.PostAsync("/api/account/logout", null)).StatusCode;
    }

    private static HubConnection Connection(Uri console, string token, string hub = "/hubs/advisor") =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(console, hub), HttpTransportType.WebSockets, options =>
            {
                options.SkipNegotiation = true;
                options.AccessTokenProvider = () => Task.FromResult<string?>(token);
            })
            .Build();

    [Fact]
    public async Task Signing_out_sets_the_advisor_Offline_and_closes_every_hub_connection_of_theirs()
    {
        await using var rig = await ConsoleRig.StartAsync();
        var address = rig.Console.Address;
        var firstTab = await rig.AvailableAdvisorAsync("alice");
        var (token, aliceId) = await SignInAsync(address, "alice");
        await using var secondTab = Connection(address, token);
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        secondTab.Closed += error =>
        {
            closed.TrySetResult(error);
            return Task.CompletedTask;
        };
        await secondTab.StartAsync();
        var connections = rig.Console.Services.GetRequiredService<SessionConnections>();
        await Eventually.WaitAsync(() => Task.FromResult(connections.Count(aliceId)), n => n == 2, Timeout, "both connections registered");
        Assert.Equal("Available", await RoutingStatusAsync(address, aliceId));

        Assert.Equal(HttpStatusCode.NoContent, await LogoutAsync(address, token));

        await closed.Task.WaitAsync(Timeout);
        await Eventually.WaitAsync(() => Task.FromResult(firstTab.Connection.State), s => s != HubConnectionState.Connected, Timeout, "the first tab's connection closed");
        Assert.Equal(0, connections.Count(aliceId));
        Assert.Equal("Offline", await RoutingStatusAsync(address, aliceId));
        Assert.Equal(1, await rig.Database.CountAsync($"SELECT count(*) FROM console.advisor_events WHERE advisor_id = '{aliceId}' AND status = 'Offline'"));

        await using var stale = Connection(address, token);
        await Assert.ThrowsAnyAsync<Exception>(() => stale.StartAsync());
        await using var fresh = Connection(address, (await SignInAsync(address, "alice")).Token);
        await fresh.StartAsync();
        Assert.Equal(HubConnectionState.Connected, fresh.State);
    }

    [Fact]
    public async Task Signing_out_on_one_Console_instance_closes_the_advisors_connection_on_another()
    {
        await using var rig = await ConsoleRig.StartAsync();
        await using var other = new ServiceHost<ConsoleDbContext>(HelplineSettings.For(rig.Database, rig.VirtualHost)).Start();
        await using var alice = await AdvisorClient.ConnectAsync(other.Address, "alice");
        await alice.GoAvailableAsync(Timeout);
        var (token, aliceId) = await SignInAsync(rig.Console.Address, "alice");
        var connections = other.Services.GetRequiredService<SessionConnections>();
        await Eventually.WaitAsync(() => Task.FromResult(connections.Count(aliceId)), n => n == 1, Timeout, "the connection registered on the other instance");

        Assert.Equal(HttpStatusCode.NoContent, await LogoutAsync(rig.Console.Address, token));

        await Eventually.WaitAsync(() => Task.FromResult(alice.Connection.State), s => s != HubConnectionState.Connected, Timeout, "the connection on the other instance closed");
        Assert.Equal(0, connections.Count(aliceId));
        Assert.Equal("Offline", await RoutingStatusAsync(rig.Console.Address, aliceId));
    }

    [Fact]
    public async Task Advisor_signing_out_on_a_call_goes_Offline_when_the_call_and_wrap_up_end()
    {
        await using var rig = await ConsoleRig.StartAsync(new Dictionary<string, string?> { ["Routing:WrapUp"] = "00:00:01" });
        var address = rig.Console.Address;
        var alice = await rig.AvailableAdvisorAsync("alice");
        var (token, aliceId) = await SignInAsync(address, "alice");
        var contactId = await rig.CallAsync();
        var offer = await alice.WaitForOfferAsync(contactId, Timeout);
        await alice.Connection.InvokeAsync("AcceptOffer", offer.GetProperty("offerId").GetInt64());
        await alice.WaitForAsync("ContactAssigned", a => a.GetProperty("contactId").GetGuid() == contactId, Timeout);

        Assert.Equal(HttpStatusCode.NoContent, await LogoutAsync(address, token));

        await Eventually.WaitAsync(() => Task.FromResult(alice.Connection.State), s => s != HubConnectionState.Connected, Timeout, "alice's connection closed");
        Assert.Equal("OnContact", await RoutingStatusAsync(address, aliceId));

        await rig.PublishAsync(new CallEnded { ContactId = contactId, EndedBy = CallEndedBy.Caller, At = DateTimeOffset.UtcNow });

        await Eventually.WaitAsync(() => RoutingStatusAsync(address, aliceId), s => s == "Offline", Timeout, "alice Offline after the wrap-up");
    }

    [Fact]
    public async Task A_dropped_connection_leaves_the_status_as_it_was()
    {
        await using var rig = await ConsoleRig.StartAsync();
        var address = rig.Console.Address;
        var alice = await AdvisorClient.ConnectAsync(address, "alice");
        await alice.GoAvailableAsync(Timeout);
        var (_, aliceId) = await SignInAsync(address, "alice");

        await alice.DisposeAsync();

        await Eventually.WaitAsync(() => Task.FromResult(rig.Console.Services.GetRequiredService<SessionConnections>().Count(aliceId)), n => n == 0, Timeout, "the connection gone from the registry");
        Assert.Equal("Available", await RoutingStatusAsync(address, aliceId));
    }

    [Fact]
    public async Task A_supervisors_token_from_before_signing_out_cannot_connect_to_the_supervisor_hub()
    {
        await using var rig = await ConsoleRig.StartAsync();
        var address = rig.Console.Address;
        var token = await TestAccounts.EnsureUserAsync(address, "sam", "Supervisor");
        await using (var before = Connection(address, token, "/hubs/supervisor"))
        {
            await before.StartAsync();
            Assert.Equal(HubConnectionState.Connected, before.State);
        }

        Assert.Equal(HttpStatusCode.NoContent, await LogoutAsync(address, token));

        await using var stale = Connection(address, token, "/hubs/supervisor");
        await Assert.ThrowsAnyAsync<Exception>(() => stale.StartAsync());
        using var client = await TestAccounts.ClientAsync(address, token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/routing/queue")).StatusCode);
    }
}
