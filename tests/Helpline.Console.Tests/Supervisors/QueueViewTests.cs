using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Helpline.Testing;

namespace Helpline.Console.Tests.Supervisors;

public sealed class QueueViewTests
{
    private static readonly TimeSpan Timeout = ConsoleRig.Timeout;

    private static async Task<HttpClient> SupervisorAsync(ConsoleRig rig) =>
        await TestAccounts.ClientAsync(rig.Console.Address, await TestAccounts.EnsureUserAsync(rig.Console.Address, "sam", "Supervisor"));

    [Fact]
    public async Task Supervisor_sees_each_queued_call_with_its_position_and_estimate_and_who_it_rings()
    {
        await using var rig = await ConsoleRig.StartAsync();
        var alice = await rig.AvailableAdvisorAsync("alice");
        var ringing = await rig.CallAsync();
        await alice.WaitForOfferAsync(ringing, Timeout);
        var waiting = await rig.CallAsync();
        using var supervisor = await SupervisorAsync(rig);

        var view = await Eventually.WaitAsync(
            () => supervisor.GetFromJsonAsync<JsonElement>("/api/routing/queue"),
            v => v.GetProperty("calls").GetArrayLength() == 2, Timeout, "both calls in the supervisor's view");

        var calls = view.GetProperty("calls").EnumerateArray().ToList();
        Assert.Equal(ringing, calls[0].GetProperty("contactId").GetGuid());
        Assert.Equal(0, calls[0].GetProperty("position").GetInt32());
        Assert.Equal(waiting, calls[1].GetProperty("contactId").GetGuid());
        Assert.Equal(1, calls[1].GetProperty("position").GetInt32());
        Assert.Equal(JsonValueKind.String, calls[1].GetProperty("estimatedWait").ValueKind);
        var advisor = Assert.Single(view.GetProperty("advisors").EnumerateArray());
        Assert.Equal("alice", advisor.GetProperty("userName").GetString());
        Assert.Equal("Offered", advisor.GetProperty("status").GetString());
        Assert.Equal(advisor.GetProperty("advisorId").GetGuid(), calls[0].GetProperty("offeredTo").GetGuid());
    }

    [Fact]
    public async Task Advisor_who_misses_offers_goes_on_break_and_the_supervisor_sees_why()
    {
        await using var rig = await ConsoleRig.StartAsync(new Dictionary<string, string?> { ["Routing:OfferTimeout"] = "00:00:01" });
        var alice = await rig.AvailableAdvisorAsync("alice");
        await rig.CallAsync();
        using var supervisor = await SupervisorAsync(rig);

        await alice.WaitForAsync("StatusChanged", s => s.GetProperty("status").GetString() == "Break" && s.GetProperty("reason").GetString() == "missed offers", Timeout);

        var view = await supervisor.GetFromJsonAsync<JsonElement>("/api/routing/queue");
        var advisor = Assert.Single(view.GetProperty("advisors").EnumerateArray());
        Assert.Equal("Break", advisor.GetProperty("status").GetString());
        Assert.Equal("missed offers", advisor.GetProperty("breakReason").GetString());
        Assert.Equal(1, view.GetProperty("calls")[0].GetProperty("position").GetInt32());
    }

    [Fact]
    public async Task Queue_view_refuses_anonymous_callers_forged_tokens_and_advisors()
    {
        await using var rig = await ConsoleRig.StartAsync();
        using var anonymous = rig.Console.CreateHttpClient();
        using var advisor = await TestAccounts.ClientAsync(rig.Console.Address, await TestAccounts.EnsureUserAsync(rig.Console.Address, "alice", "Advisor"));
        using var forged = await TestAccounts.ClientAsync(rig.Console.Address, "not-a-token");

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/routing/queue")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await advisor.GetAsync("/api/routing/queue")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync("/api/routing/queue")).StatusCode);
    }
}
