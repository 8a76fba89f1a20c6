using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Xunit.Abstractions;

namespace Helpline.Console.Tests.Supervisors;

public sealed class SupervisorDashboardTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = ConsoleRig.Timeout;

    [Fact]
    public async Task The_dashboard_is_pushed_when_calls_arrive_ring_wait_and_are_answered()
    {
        await using var rig = await ConsoleRig.StartAsync();
        var alice = await rig.AvailableAdvisorAsync("alice");
        await using var supervisor = await SupervisorClient.ConnectAsync(rig, "sam");
        var first = await supervisor.NextAsync(d => d.GetProperty("advisors").GetArrayLength() == 1, Timeout);
        Assert.Equal(0, first.GetProperty("calls").GetArrayLength());
        var aliceId = first.GetProperty("advisors")[0].GetProperty("advisorId").GetGuid();

        var watch = Stopwatch.StartNew();
        var ringingCall = await rig.CallAsync();
        var ringing = await supervisor.NextAsync(d => d.GetProperty("calls").EnumerateArray().Any(c => c.GetProperty("contactId").GetGuid() == ringingCall), Timeout);
        output.WriteLine($"a new call showed on the dashboard {watch.ElapsedMilliseconds} ms after it was published");
        var call = Assert.Single(ringing.GetProperty("calls").EnumerateArray());
        Assert.Equal(0, call.GetProperty("position").GetInt32());
        Assert.Equal("alice", call.GetProperty("ringingAtUserName").GetString());
        Assert.Equal("Offered", ringing.GetProperty("advisors")[0].GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.String, ringing.GetProperty("advisors")[0].GetProperty("since").ValueKind);
        Assert.Equal(JsonValueKind.String, ringing.GetProperty("oldestCallEnteredAt").ValueKind);
        Assert.Equal(1, ringing.GetProperty("today").GetProperty("received").GetInt64());

        var offer = await alice.WaitForOfferAsync(ringingCall, Timeout);
        await alice.Connection.InvokeAsync("AcceptOffer", offer.GetProperty("offerId").GetInt64());
        await rig.PublishAsync(new Contracts.CallConnected { ContactId = ringingCall, AdvisorId = aliceId, At = DateTimeOffset.UtcNow });
        var waitingCall = await rig.CallAsync();
        var later = await supervisor.NextAsync(
            d => d.GetProperty("today").GetProperty("answered").GetInt64() == 1 && d.GetProperty("calls").EnumerateArray().Any(c => c.GetProperty("contactId").GetGuid() == waitingCall),
            Timeout);
        var waiting = Assert.Single(later.GetProperty("calls").EnumerateArray());
        Assert.Equal(1, waiting.GetProperty("position").GetInt32());
        Assert.Equal(JsonValueKind.Null, waiting.GetProperty("ringingAt").ValueKind);
        Assert.Equal("OnContact", later.GetProperty("advisors")[0].GetProperty("status").GetString());
        Assert.True(later.GetProperty("advisors")[0].GetProperty("onCall").GetBoolean());
        Assert.Equal(1.0, later.GetProperty("today").GetProperty("serviceLevel").GetDouble());
        Assert.Equal(2, later.GetProperty("today").GetProperty("received").GetInt64());
    }

    [Fact]
    public async Task A_supervisor_puts_an_advisor_on_break_and_back_and_both_are_audited()
    {
        await using var rig = await ConsoleRig.StartAsync();
        var alice = await rig.AvailableAdvisorAsync("alice");
        await using var supervisor = await SupervisorClient.ConnectAsync(rig, "sam");
        var dashboard = await supervisor.NextAsync(d => d.GetProperty("advisors").GetArrayLength() == 1, Timeout);
        var aliceId = dashboard.GetProperty("advisors")[0].GetProperty("advisorId").GetGuid();

        await supervisor.Connection.InvokeAsync("SetAdvisorStatus", aliceId, "Break", "debrief");
        await alice.WaitForAsync("StatusChanged", s => s.GetProperty("status").GetString() == "Break" && s.GetProperty("reason").GetString() == "debrief", Timeout);
        await supervisor.NextAsync(d => d.GetProperty("advisors")[0].GetProperty("status").GetString() == "Break", Timeout);
        await supervisor.Connection.InvokeAsync("SetAdvisorStatus", aliceId, "Available", null);
        await alice.WaitForAsync("StatusChanged", s => s.GetProperty("status").GetString() == "Available", Timeout, skip: 1);

        Assert.Equal(2, await rig.Database.CountAsync(
            $"SELECT count(*) FROM console.audit_entries a JOIN console.users u ON u.id = a.actor_id WHERE u.user_name = 'sam' AND a.action = 'advisor.status.set' AND a.target = '{aliceId}'"));
        Assert.Equal(1, await rig.Database.CountAsync($"SELECT count(*) FROM console.audit_entries WHERE detail = 'Break (debrief)'"));
    }

    [Fact]
    public async Task A_supervisor_cannot_sign_an_advisor_in_or_set_another_status()
    {
        await using var rig = await ConsoleRig.StartAsync();
        var alice = await rig.AvailableAdvisorAsync("alice");
        await alice.Connection.InvokeAsync("SetStatus", "Offline", null);
        await alice.WaitForAsync("StatusChanged", s => s.GetProperty("status").GetString() == "Offline", Timeout);
        await using var supervisor = await SupervisorClient.ConnectAsync(rig, "sam");
        var dashboard = await supervisor.NextAsync(d => d.GetProperty("advisors").GetArrayLength() == 1 && d.GetProperty("advisors")[0].GetProperty("status").GetString() == "Offline", Timeout);
        var aliceId = dashboard.GetProperty("advisors")[0].GetProperty("advisorId").GetGuid();

        var notSignedIn = await Assert.ThrowsAsync<HubException>(() => supervisor.Connection.InvokeAsync("SetAdvisorStatus", aliceId, "Break", "lunch"));
        var offline = await Assert.ThrowsAsync<HubException>(() => supervisor.Connection.InvokeAsync("SetAdvisorStatus", aliceId, "Offline", null));
        var unknown = await Assert.ThrowsAsync<HubException>(() => supervisor.Connection.InvokeAsync("SetAdvisorStatus", Guid.NewGuid(), "Break", "lunch"));

        Assert.Contains("NotSignedIn", notSignedIn.Message, StringComparison.Ordinal);
        Assert.Contains("InvalidStatus", offline.Message, StringComparison.Ordinal);
        Assert.Contains("NotSignedIn", unknown.Message, StringComparison.Ordinal);
        Assert.Equal(0, await rig.Database.CountAsync("SELECT count(*) FROM console.audit_entries WHERE action = 'advisor.status.set'"));
    }

    [Fact]
    public async Task Anonymous_callers_and_advisors_cannot_connect_to_the_supervisors_hub_or_call_its_methods()
    {
        await using var rig = await ConsoleRig.StartAsync();
        var advisorToken = await TestAccounts.EnsureUserAsync(rig.Console.Address, "alice", "Advisor");
        var adminToken = await TestAccounts.EnsureUserAsync(rig.Console.Address, "ada", "Admin");

        foreach (var token in new string?[] { null, "not-a-token", advisorToken, adminToken })
        {
            await using var connection = SupervisorClient.Build(rig, token);
            await Assert.ThrowsAnyAsync<Exception>(() => connection.StartAsync());
            await Assert.ThrowsAnyAsync<Exception>(() => connection.InvokeAsync<JsonElement>("GetDashboard"));
            await Assert.ThrowsAnyAsync<Exception>(() => connection.InvokeAsync("SetAdvisorStatus", Guid.NewGuid(), "Break", "lunch"));
        }

        await using var supervisor = await SupervisorClient.ConnectAsync(rig, "sam");
        var dashboard = await supervisor.Connection.InvokeAsync<JsonElement>("GetDashboard");
        Assert.Equal(JsonValueKind.Array, dashboard.GetProperty("advisors").ValueKind);
    }

    /// <summary>A supervisor's .NET SignalR client over WebSockets, keeping every dashboard it is sent.</summary>
    private sealed class SupervisorClient : IAsyncDisposable
    {
        private readonly ConcurrentQueue<JsonElement> _dashboards = new();

        private SupervisorClient(HubConnection connection)
        {
            Connection = connection;
            connection.On<JsonElement>("DashboardChanged", d => _dashboards.Enqueue(d));
        }

        public HubConnection Connection { get; }

        public static HubConnection Build(ConsoleRig rig, string? token) =>
            new HubConnectionBuilder()
                .WithUrl(new Uri(rig.Console.Address, "/hubs/supervisor"), HttpTransportType.WebSockets, options =>
                {
                    options.SkipNegotiation = true;
                    options.AccessTokenProvider = () => Task.FromResult(token);
                })
                .Build();

        public static async Task<SupervisorClient> ConnectAsync(ConsoleRig rig, string name)
        {
            var client = new SupervisorClient(Build(rig, await TestAccounts.EnsureUserAsync(rig.Console.Address, name, "Supervisor")));
            await client.Connection.StartAsync();
            return client;
        }

        /// <summary>The latest dashboard pushed, once it matches.</summary>
        public Task<JsonElement> NextAsync(Func<JsonElement, bool> match, TimeSpan timeout) =>
            Eventually.WaitAsync(() => Task.FromResult(_dashboards.LastOrDefault()), d => d.ValueKind == JsonValueKind.Object && match(d), timeout, "a matching dashboard");

        public ValueTask DisposeAsync() => Connection.DisposeAsync();
    }
}
