using System.Xml.Linq;

namespace Helpline.Intake.Tests.Telephony;

/// <summary>Intake's database goes away under Twilio's webhooks: the caller is held, never given an error.</summary>
public sealed class TwilioDatabaseOutageTests(DatabaseOutageFixture fixture) : IClassFixture<DatabaseOutageFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private const string Incoming = "/twilio/voice/incoming";

    [Fact]
    public async Task A_call_arriving_during_an_outage_is_held_and_redirected_then_queued_once_when_the_database_is_back()
    {
        var sid = TelephonyFixture.NewCallSid();
        fixture.Postgres!.Cut();
        XElement held;
        try
        {
            var response = await fixture.PostTwilioAsync(Incoming, TelephonyFixture.IncomingCall(sid));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            held = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!;

            var wait = await fixture.PostTwilioAsync("/twilio/voice/wait", TelephonyFixture.IncomingCall(sid));
            Assert.Equal(HttpStatusCode.OK, wait.StatusCode);
            Assert.Equal(["Say", "Pause"], XDocument.Parse(await wait.Content.ReadAsStringAsync()).Root!.Elements().Select(e => e.Name.LocalName));
        }
        finally
        {
            fixture.Postgres.Restore();
        }

        Assert.Equal(["Say", "Pause", "Redirect"], held.Elements().Select(e => e.Name.LocalName));
        Assert.Contains("stay on the line", held.Element("Say")!.Value, StringComparison.Ordinal);
        var redirect = new Uri(held.Element("Redirect")!.Value);
        Assert.Equal($"{TelephonyFixture.PublicBaseUrl}{Incoming}?hold=1", redirect.ToString());
        Assert.Equal("POST", held.Element("Redirect")!.Attribute("method")!.Value);
        Assert.Equal(0, await fixture.CountAsync($"SELECT count(*) FROM intake.inbound_calls WHERE provider_call_id = '{sid}'"));

        // Twilio follows the redirect (same call, signed over the redirect's URL): the database is back.
        var again = await fixture.PostTwilioAsync($"{Incoming}?hold=1", TelephonyFixture.IncomingCall(sid));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(["Say", "Enqueue"], XDocument.Parse(await again.Content.ReadAsStringAsync()).Root!.Elements().Select(e => e.Name.LocalName));
        Assert.Equal("Queued", await fixture.StateAsync(sid));
        await Eventually.WaitAsync(
            () => Task.FromResult(fixture.Published<ContactReceived>().CountWhere("providerReference", sid)),
            count => count == 1, Timeout, "ContactReceived for the held call");
    }

    [Fact]
    public async Task After_the_last_hold_round_the_caller_hears_the_out_of_service_message_and_the_signposting()
    {
        fixture.Postgres!.Cut();
        XElement answer;
        try
        {
            var response = await fixture.PostTwilioAsync($"{Incoming}?hold=4", TelephonyFixture.IncomingCall(TelephonyFixture.NewCallSid()));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            answer = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!;
        }
        finally
        {
            fixture.Postgres.Restore();
        }

        Assert.Equal("Hangup", answer.Elements().Last().Name.LocalName);
        Assert.DoesNotContain(answer.Elements(), e => e.Name.LocalName is "Redirect" or "Enqueue");
        Assert.Contains("technical problem", answer.Elements("Say").First().Value, StringComparison.Ordinal);
        Assert.Contains(answer.Elements("Say"), say => say.Value.Contains("999", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_blip_shorter_than_the_execution_strategy_s_retries_is_absorbed_inside_the_request()
    {
        var sid = TelephonyFixture.NewCallSid();
        fixture.Postgres!.Cut();
        var call = fixture.PostTwilioAsync(Incoming, TelephonyFixture.IncomingCall(sid));
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        fixture.Postgres.Restore();

        var response = await call;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["Say", "Enqueue"], XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!.Elements().Select(e => e.Name.LocalName));

        fixture.Postgres.Cut();
        var status = fixture.PostTwilioAsync("/twilio/voice/status", TelephonyFixture.StatusCallback(sid, "completed"));
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        fixture.Postgres.Restore();
        Assert.Equal(HttpStatusCode.NoContent, (await status).StatusCode);
        Assert.Equal("Abandoned", await fixture.StateAsync(sid));
    }
}
