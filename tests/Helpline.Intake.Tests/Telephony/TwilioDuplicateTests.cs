namespace Helpline.Intake.Tests.Telephony;

/// <summary>Provider retries are absorbed as the expected case: one call stored, and nothing logged as an error.</summary>
public sealed class TwilioDuplicateTests(OpenHelplineFixture fixture) : IClassFixture<OpenHelplineFixture>
{
    [Fact]
    public async Task Copies_of_one_incoming_webhook_at_once_store_one_call_answer_alike_and_log_no_error()
    {
        var sid = TelephonyFixture.NewCallSid();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => fixture.PostTwilioAsync("/twilio/voice/incoming", TelephonyFixture.IncomingCall(sid))));
        var again = await fixture.PostTwilioAsync("/twilio/voice/incoming", TelephonyFixture.IncomingCall(sid));

        Assert.All(responses.Append(again), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var bodies = await Task.WhenAll(responses.Append(again).Select(r => r.Content.ReadAsStringAsync()));
        Assert.Single(bodies.Distinct());
        Assert.Equal(1, await fixture.CountAsync($"SELECT count(*) FROM intake.inbound_calls WHERE provider_call_id = '{sid}'"));
        Assert.Equal(1, await fixture.CountAsync($"SELECT count(*) FROM intake.outbox_messages WHERE contact_id = (SELECT id FROM intake.inbound_calls WHERE provider_call_id = '{sid}')"));
        Assert.Equal(8, fixture.Intake.Logs.Containing("Repeated provider call id answered").Count);
        Assert.DoesNotContain(fixture.Intake.Logs.Entries, e => e.StartsWith("Error", StringComparison.Ordinal) || e.StartsWith("Critical", StringComparison.Ordinal));
    }
}
