using System.Xml.Linq;
using Helpline.Intake.Callbacks;

namespace Helpline.Intake.Tests.Telephony;

/// <summary>The callback offer on Overflow through Twilio (Callbacks:Enabled in the fixture): the gather, the consent, the encrypted number.</summary>
public sealed class TwilioCallbackTests(OpenHelplineFixture fixture) : IClassFixture<OpenHelplineFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private const string CallbackPath = "/twilio/voice/callback";

    private static string NewNumber() => $"+4477009{Random.Shared.Next(10000, 99999)}";

    private async Task<(string Sid, Guid ContactId, XElement Twiml)> OverflowedCallAsync(string from, UnansweredReason reason = UnansweredReason.Overflow)
    {
        var sid = TelephonyFixture.NewCallSid();
        await fixture.PostTwilioAsync("/twilio/voice/incoming", TelephonyFixture.IncomingCall(sid, from));
        var contactId = await fixture.ContactIdAsync(sid);
        await fixture.PublishAsync(new TurnAwayCall { ContactId = contactId, Reason = reason });
        await Eventually.WaitAsync(() => fixture.StateAsync(sid), state => state == reason.ToString(), Timeout, $"the call recorded {reason}");
        var request = Assert.Single(fixture.Stub.Requests, r => r.Path.Contains(sid, StringComparison.Ordinal));
        return (sid, contactId, XDocument.Parse(request.Form["Twiml"]).Root!);
    }

    private static Dictionary<string, string> Pressed(string sid, string from, string digits)
    {
        var form = TelephonyFixture.StatusCallback(sid, "in-progress", from);
        form["Digits"] = digits;
        form["FinishedOnKey"] = "";
        return form;
    }

    private Task<long> CallbackRowsAsync(Guid contactId) => fixture.CountAsync($"SELECT count(*) FROM intake.callback_requests WHERE contact_id = '{contactId}'");

    [Fact]
    public async Task Overflowed_caller_pressing_1_is_recorded_once_with_the_number_only_encrypted_and_never_logged()
    {
        var number = NewNumber();
        var (sid, contactId, twiml) = await OverflowedCallAsync(number);

        var gather = twiml.Element("Gather")!;
        Assert.Equal("1", gather.Attribute("numDigits")!.Value);
        Assert.Equal($"{TelephonyFixture.PublicBaseUrl}{CallbackPath}", gather.Attribute("action")!.Value);
        Assert.Contains("press 1", gather.Element("Say")!.Value, StringComparison.Ordinal);
        Assert.Equal(["Say", "Gather"], twiml.Elements().Take(2).Select(e => e.Name.LocalName));
        Assert.Equal("Hangup", twiml.Elements().Last().Name.LocalName);

        var response = await fixture.PostTwilioAsync(CallbackPath, Pressed(sid, number, "1"));
        var replay = await fixture.PostTwilioAsync(CallbackPath, Pressed(sid, number, "1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!;
        Assert.Contains("call you back", answer.Elements("Say").First().Value, StringComparison.Ordinal);
        Assert.Equal("Hangup", answer.Elements().Last().Name.LocalName);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(1, await CallbackRowsAsync(contactId));
        Assert.Equal(1, await fixture.CountAsync($"SELECT count(*) FROM intake.inbound_calls WHERE id = '{contactId}' AND state = 'Overflow' AND callback_requested_at IS NOT NULL"));
        Assert.Equal(1, await fixture.CountAsync($"SELECT count(*) FROM intake.outbox_messages WHERE message_type = 'Helpline.Contracts.CallbackRequested, Helpline.Contracts' AND payload->>'contactId' = '{contactId}'"));
        var published = await Eventually.WaitAsync(
            () => Task.FromResult(fixture.Published<CallbackRequested>().Messages.Where(m => m.GetProperty("contactId").GetGuid() == contactId).ToList()),
            list => list.Count == 1, Timeout, "CallbackRequested");

        var digits = number[1..];
        Assert.DoesNotContain(digits[2..], published[0].GetRawText(), StringComparison.Ordinal);
        Assert.Equal(1, await fixture.CountAsync($"SELECT count(*) FROM intake.callback_requests WHERE contact_id = '{contactId}' AND encrypted_number LIKE 'v2:0:%'"));
        Assert.Equal(0, await fixture.CountAsync($"SELECT count(*) FROM intake.callback_requests WHERE position('{digits[2..]}' in encrypted_number) > 0 OR position(convert_to('{digits[2..]}', 'UTF8') in decode(substr(encrypted_number, 6), 'base64')) > 0"));
        Assert.Equal(0, await fixture.CountAsync($"SELECT count(*) FROM intake.inbound_calls c WHERE c::text LIKE '%{digits[2..]}%'"));
        Assert.Equal(0, await fixture.CountAsync($"SELECT count(*) FROM intake.outbox_messages m WHERE m::text LIKE '%{digits[2..]}%'"));
        Assert.Empty(fixture.Intake.Logs.Containing(digits[2..]));
        Assert.NotEmpty(fixture.Intake.Logs.Containing(contactId.ToString()));

        await using var scope = fixture.Intake.Services.CreateAsyncScope();
        Assert.Equal(number, await scope.ServiceProvider.GetRequiredService<CallbackNumbers>().NumberForAsync(contactId, CancellationToken.None));
    }

    [Fact]
    public async Task Withheld_caller_is_not_offered_a_callback_and_a_forged_consent_records_nothing()
    {
        var (sid, contactId, twiml) = await OverflowedCallAsync("anonymous");

        Assert.Null(twiml.Element("Gather"));
        await fixture.PostTwilioAsync(CallbackPath, Pressed(sid, "anonymous", "1"));
        await fixture.PostTwilioAsync(CallbackPath, Pressed(sid, "+266696687", "1"));

        Assert.Equal(0, await CallbackRowsAsync(contactId));
        Assert.Equal(0, await fixture.CountAsync($"SELECT count(*) FROM intake.outbox_messages WHERE payload->>'contactId' = '{contactId}' AND message_type LIKE '%CallbackRequested%'"));
    }

    [Fact]
    public async Task NoAdvisors_is_not_offered_a_callback()
    {
        var (sid, contactId, twiml) = await OverflowedCallAsync(NewNumber(), UnansweredReason.NoAdvisors);

        Assert.Null(twiml.Element("Gather"));
        await fixture.PostTwilioAsync(CallbackPath, Pressed(sid, "+447700900777", "1"));
        Assert.Equal(0, await CallbackRowsAsync(contactId));
    }

    [Fact]
    public async Task Another_key_no_key_or_a_call_that_did_not_overflow_records_nothing()
    {
        var number = NewNumber();
        var (sid, contactId, _) = await OverflowedCallAsync(number);
        var queuedSid = TelephonyFixture.NewCallSid();
        await fixture.PostTwilioAsync("/twilio/voice/incoming", TelephonyFixture.IncomingCall(queuedSid, number));
        var queuedId = await fixture.ContactIdAsync(queuedSid);

        var other = await fixture.PostTwilioAsync(CallbackPath, Pressed(sid, number, "2"));
        var none = await fixture.PostTwilioAsync(CallbackPath, Pressed(sid, number, ""));
        var queued = await fixture.PostTwilioAsync(CallbackPath, Pressed(queuedSid, number, "1"));

        foreach (var response in new[] { other, none, queued })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var answer = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!;
            Assert.DoesNotContain(answer.Elements("Say"), s => s.Value.Contains("call you back", StringComparison.Ordinal));
            Assert.Equal("Hangup", answer.Elements().Last().Name.LocalName);
        }

        Assert.Equal(0, await CallbackRowsAsync(contactId));
        Assert.Equal(0, await CallbackRowsAsync(queuedId));
        Assert.Equal("Queued", await fixture.StateAsync(queuedSid));
    }

    [Fact]
    public async Task Unsigned_consent_is_forbidden_and_records_nothing()
    {
        var number = NewNumber();
        var (sid, contactId, _) = await OverflowedCallAsync(number);

        var response = await fixture.PostTwilioAsync(CallbackPath, Pressed(sid, number, "1"), "forged");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await CallbackRowsAsync(contactId));
    }
}
