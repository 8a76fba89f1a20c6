using System.Xml.Linq;
using Twilio.Security;

namespace Helpline.Intake.Tests.Telephony;

public sealed class TwilioWebhookTests(OpenHelplineFixture fixture) : IClassFixture<OpenHelplineFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private const string Incoming = "/twilio/voice/incoming";
    private const string Status = "/twilio/voice/status";
    private const string Wait = "/twilio/voice/wait";
    private const string DialEnded = "/twilio/voice/dial-ended";

    [Fact]
    public void Signer_agrees_with_the_Twilio_package()
    {
        var form = TelephonyFixture.IncomingCall(TelephonyFixture.NewCallSid());
        var url = TelephonyFixture.PublicBaseUrl + Incoming;

        Assert.True(new RequestValidator(TelephonyFixture.AuthToken).Validate(url, form, TwilioSigner.Sign(TelephonyFixture.AuthToken, url, form)));
    }

    [Fact]
    public async Task Call_in_hours_is_greeted_queued_stored_and_announced_once()
    {
        var sid = TelephonyFixture.NewCallSid();

        var response = await fixture.PostTwilioAsync(Incoming, TelephonyFixture.IncomingCall(sid));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/xml", response.Content.Headers.ContentType?.MediaType);
        var twiml = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!;
        Assert.Equal(["Say", "Enqueue"], twiml.Elements().Select(e => e.Name.LocalName));
        Assert.Contains("National Stalking Helpline", twiml.Element("Say")!.Value, StringComparison.Ordinal);
        Assert.Equal("helpline", twiml.Element("Enqueue")!.Value);
        Assert.Equal($"{TelephonyFixture.PublicBaseUrl}{Wait}", twiml.Element("Enqueue")!.Attribute("waitUrl")!.Value);

        var contactId = await fixture.ContactIdAsync(sid);
        Assert.Equal("Queued", await fixture.StateAsync(sid));
        Assert.Equal(1, await fixture.CountAsync($"SELECT count(*) FROM intake.inbound_calls WHERE provider = 'twilio' AND provider_call_id = '{sid}' AND provider_status = 'ringing' AND length(caller_key) = 64"));
        await Eventually.WaitAsync(
            () => Task.FromResult(fixture.Published<ContactReceived>().CountWhere("providerReference", sid)),
            count => count == 1, Timeout, "ContactReceived for the call");
        Assert.Equal(1, fixture.Published<ContactReceived>().CountWhere("contactId", contactId.ToString()));
    }

    [Fact]
    public async Task Replayed_incoming_webhook_answers_the_same_and_stores_and_publishes_nothing_new()
    {
        var sid = TelephonyFixture.NewCallSid();
        var form = TelephonyFixture.IncomingCall(sid);

        var first = await (await fixture.PostTwilioAsync(Incoming, form)).Content.ReadAsStringAsync();
        var replay = await fixture.PostTwilioAsync(Incoming, form);

        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(first, await replay.Content.ReadAsStringAsync());
        var contactId = await fixture.ContactIdAsync(sid);
        Assert.Equal(1, await fixture.CountAsync($"SELECT count(*) FROM intake.inbound_calls WHERE provider_call_id = '{sid}'"));
        Assert.Equal(1, await fixture.CountAsync($"SELECT count(*) FROM intake.outbox_messages WHERE payload->>'contactId' = '{contactId}'"));
    }

    public static TheoryData<string> WithheldCallers => new() { "anonymous", "Anonymous", "restricted", "unknown", "+266696687", "+7378742833", "+86282452253", "", "client:someone" };

    [Theory]
    [MemberData(nameof(WithheldCallers))]
    public async Task Withheld_number_in_any_shape_is_queued_without_a_caller_key(string from)
    {
        var sid = TelephonyFixture.NewCallSid();

        var response = await fixture.PostTwilioAsync(Incoming, TelephonyFixture.IncomingCall(sid, from));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Queued", await fixture.StateAsync(sid));
        Assert.Equal(1, await fixture.CountAsync($"SELECT count(*) FROM intake.inbound_calls WHERE provider_call_id = '{sid}' AND caller_key IS NULL"));
        var contactId = await fixture.ContactIdAsync(sid);
        Assert.Equal(1, await fixture.CountAsync($"SELECT count(*) FROM intake.outbox_messages WHERE payload->>'contactId' = '{contactId}' AND payload->'callerKey' = 'null'::jsonb"));
    }

    [Fact]
    public async Task Caller_number_is_kept_only_as_a_keyed_hash()
    {
        var sid = TelephonyFixture.NewCallSid();

        await fixture.PostTwilioAsync(Incoming, TelephonyFixture.IncomingCall(sid, "+447700900555"));

        Assert.Equal(1, await fixture.CountAsync($"SELECT count(*) FROM intake.inbound_calls WHERE provider_call_id = '{sid}' AND length(caller_key) = 64"));
        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM intake.inbound_calls c WHERE c::text LIKE '%7700900555%'"));
        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM intake.outbox_messages m WHERE m::text LIKE '%7700900555%'"));
    }

    public static TheoryData<string> BadSignatures => new() { "missing", "empty", "garbage", "other token", "signed for the internal URL", "signed for another path", "replayed with another body" };

    [Theory]
    [MemberData(nameof(BadSignatures))]
    public async Task Unsigned_or_wrongly_signed_webhook_is_forbidden_and_changes_nothing(string how)
    {
        var sid = TelephonyFixture.NewCallSid();
        var form = TelephonyFixture.IncomingCall(sid);
        var publicUrl = TelephonyFixture.PublicBaseUrl + Incoming;
        var otherBody = new Dictionary<string, string>(form) { ["From"] = "+447700900999" };
        var signature = how switch
        {
            "missing" => null,
            "empty" => "",
            "garbage" => "bm90IGEgc2lnbmF0dXJl",
            "other token" => TwilioSigner.Sign("another-auth-token-0123456789", publicUrl, form),
            "signed for the internal URL" => TwilioSigner.Sign(TelephonyFixture.AuthToken, $"{fixture.Client.BaseAddress}twilio/voice/incoming", form),
            "signed for another path" => TwilioSigner.Sign(TelephonyFixture.AuthToken, TelephonyFixture.PublicBaseUrl + Status, form),
            _ => TwilioSigner.Sign(TelephonyFixture.AuthToken, publicUrl, otherBody),
        };
        var callsBefore = await fixture.CountAsync("SELECT count(*) FROM intake.inbound_calls");
        var outboxBefore = await fixture.CountAsync("SELECT count(*) FROM intake.outbox_messages");

        var response = await fixture.PostTwilioAsync(Incoming, form, signature);

        Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{how}: {response.StatusCode}");
        await AssertProblemAsync(response, 403);
        Assert.Equal(callsBefore, await fixture.CountAsync("SELECT count(*) FROM intake.inbound_calls"));
        Assert.Equal(outboxBefore, await fixture.CountAsync("SELECT count(*) FROM intake.outbox_messages"));
    }

    [Fact]
    public async Task Signed_webhook_from_another_account_is_forbidden()
    {
        var sid = TelephonyFixture.NewCallSid();
        var form = TelephonyFixture.IncomingCall(sid);
        form["AccountSid"] = "AC99999999999999999999999999999999";

        var response = await fixture.PostTwilioAsync(Incoming, form);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Null(await fixture.StateAsync(sid));
    }

    [Fact]
    public async Task Unsigned_status_wait_and_dial_callbacks_are_forbidden_too()
    {
        var sid = TelephonyFixture.NewCallSid();
        await fixture.PostTwilioAsync(Incoming, TelephonyFixture.IncomingCall(sid));

        foreach (var path in new[] { Status, Wait, DialEnded })
        {
            var response = await fixture.PostTwilioAsync(path, TelephonyFixture.StatusCallback(sid, "completed"), "forged");
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{path}: {response.StatusCode}");
        }

        Assert.Equal("Queued", await fixture.StateAsync(sid));
    }

    public static TheoryData<string, int> BadBodies => new()
    {
        { "json body", 415 },
        { "text body", 415 },
        { "oversized", 413 },
        { "malformed CallSid", 400 },
        { "missing CallSid", 400 },
        { "missing To", 400 },
        { "repeated field", 400 },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Malformed_oversized_or_wrong_type_webhook_is_refused_with_problem_details(string how, int status)
    {
        var sid = TelephonyFixture.NewCallSid();
        var form = TelephonyFixture.IncomingCall(sid);
        var url = TelephonyFixture.PublicBaseUrl + Incoming;
        var callsBefore = await fixture.CountAsync("SELECT count(*) FROM intake.inbound_calls");
        var outboxBefore = await fixture.CountAsync("SELECT count(*) FROM intake.outbox_messages");

        HttpResponseMessage response;
        switch (how)
        {
            case "json body":
                response = await fixture.PostRawAsync(Incoming, JsonSerializer.Serialize(form), "application/json", TwilioSigner.Sign(TelephonyFixture.AuthToken, url, form));
                break;
            case "text body":
                response = await fixture.PostRawAsync(Incoming, await new FormUrlEncodedContent(form).ReadAsStringAsync(), "text/plain", TwilioSigner.Sign(TelephonyFixture.AuthToken, url, form));
                break;
            case "oversized":
                form["Padding"] = new string('x', 20_000);
                response = await fixture.PostTwilioAsync(Incoming, form);
                break;
            case "malformed CallSid":
                form["CallSid"] = "x'; DROP TABLE intake.inbound_calls;--";
                response = await fixture.PostTwilioAsync(Incoming, form);
                break;
            case "missing CallSid":
                form.Remove("CallSid");
                response = await fixture.PostTwilioAsync(Incoming, form);
                break;
            case "missing To":
                form.Remove("To");
                response = await fixture.PostTwilioAsync(Incoming, form);
                break;
            default:
                var body = await new FormUrlEncodedContent(form).ReadAsStringAsync() + $"&CallSid={TelephonyFixture.NewCallSid()}";
                response = await fixture.PostRawAsync(Incoming, body, "application/x-www-form-urlencoded", TwilioSigner.Sign(TelephonyFixture.AuthToken, url, form));
                break;
        }

        Assert.True((int)response.StatusCode == status, $"{how}: {response.StatusCode}");
        await AssertProblemAsync(response, status);
        Assert.Equal(callsBefore, await fixture.CountAsync("SELECT count(*) FROM intake.inbound_calls"));
        Assert.Equal(outboxBefore, await fixture.CountAsync("SELECT count(*) FROM intake.outbox_messages"));
    }

    [Fact]
    public async Task Caller_hanging_up_in_the_queue_is_abandoned_once_however_often_Twilio_repeats_it()
    {
        var sid = TelephonyFixture.NewCallSid();
        await fixture.PostTwilioAsync(Incoming, TelephonyFixture.IncomingCall(sid));
        var contactId = await fixture.ContactIdAsync(sid);

        var first = await fixture.PostTwilioAsync(Status, TelephonyFixture.StatusCallback(sid, "completed"));
        var replay = await fixture.PostTwilioAsync(Status, TelephonyFixture.StatusCallback(sid, "completed"));
        var late = await fixture.PostTwilioAsync(Status, TelephonyFixture.StatusCallback(sid, "in-progress"));

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, replay.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, late.StatusCode);
        Assert.Equal("Abandoned", await fixture.StateAsync(sid));
        Assert.Equal("completed", await fixture.ScalarAsync<string>("SELECT provider_status FROM intake.inbound_calls WHERE provider_call_id = @sid", ("sid", sid)));
        Assert.Equal(1, await fixture.CountAsync($"SELECT count(*) FROM intake.outbox_messages WHERE message_type = 'Helpline.Contracts.CallerHungUp, Helpline.Contracts' AND payload->>'contactId' = '{contactId}'"));
        await Eventually.WaitAsync(
            () => Task.FromResult(fixture.Published<CallerHungUp>().CountWhere("contactId", contactId.ToString())),
            count => count == 1, Timeout, "CallerHungUp for the call");
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(5_000, true)]
    [InlineData(5_001, false)]
    [InlineData(60_000, false)]
    public async Task Abandon_within_the_default_five_seconds_is_flagged_short_on_the_call(int waitedMilliseconds, bool shortAbandon)
    {
        var sid = TelephonyFixture.NewCallSid();
        await fixture.PostTwilioAsync(Incoming, TelephonyFixture.IncomingCall(sid));
        var contactId = await fixture.ContactIdAsync(sid);

        fixture.Time.Advance(TimeSpan.FromMilliseconds(waitedMilliseconds));
        await fixture.PostTwilioAsync(Status, TelephonyFixture.StatusCallback(sid, "completed"));

        Assert.Equal(1, await fixture.CountAsync($"SELECT count(*) FROM intake.inbound_calls WHERE id = '{contactId}' AND state = 'Abandoned' AND short_abandon = {shortAbandon}"));
        var published = await Eventually.WaitAsync(
            () => Task.FromResult(fixture.Published<CallerHungUp>().Messages.Where(m => m.GetProperty("contactId").GetGuid() == contactId).ToList()),
            list => list.Count == 1, Timeout, "CallerHungUp");
        Assert.Equal(shortAbandon, published[0].GetProperty("shortAbandon").GetBoolean());
    }

    [Fact]
    public async Task Status_callback_for_a_call_never_seen_stores_nothing()
    {
        var sid = TelephonyFixture.NewCallSid();
        var outboxBefore = await fixture.CountAsync("SELECT count(*) FROM intake.outbox_messages");

        var response = await fixture.PostTwilioAsync(Status, TelephonyFixture.StatusCallback(sid, "completed"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Null(await fixture.StateAsync(sid));
        Assert.Equal(outboxBefore, await fixture.CountAsync("SELECT count(*) FROM intake.outbox_messages"));
    }

    [Fact]
    public async Task Unknown_call_status_is_a_validation_problem()
    {
        var sid = TelephonyFixture.NewCallSid();
        await fixture.PostTwilioAsync(Incoming, TelephonyFixture.IncomingCall(sid));

        var response = await fixture.PostTwilioAsync(Status, TelephonyFixture.StatusCallback(sid, "exploded"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await AssertProblemAsync(response, 400);
        Assert.Equal("ringing", await fixture.ScalarAsync<string>("SELECT provider_status FROM intake.inbound_calls WHERE provider_call_id = @sid", ("sid", sid)));
    }

    [Fact]
    public async Task Accepted_call_is_bridged_over_Twilio_REST_and_ends_when_the_advisor_hangs_up()
    {
        var sid = TelephonyFixture.NewCallSid();
        await fixture.PostTwilioAsync(Incoming, TelephonyFixture.IncomingCall(sid));
        var contactId = await fixture.ContactIdAsync(sid);
        var advisorId = Guid.NewGuid();

        await fixture.PublishAsync(new ConnectCall { ContactId = contactId, AdvisorId = advisorId, AdvisorEndpoint = "client:advisor-7" });

        await Eventually.WaitAsync(
            () => Task.FromResult(fixture.Published<CallConnected>().CountWhere("contactId", contactId.ToString())),
            count => count == 1, Timeout, "CallConnected");
        var request = Assert.Single(fixture.Stub.Requests, r => r.Path.Contains(sid, StringComparison.Ordinal));
        Assert.Equal("POST", request.Method);
        Assert.Equal($"/2010-04-01/Accounts/{TelephonyFixture.AccountSid}/Calls/{sid}.json", request.Path);
        Assert.Equal($"Basic {Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes($"{TelephonyFixture.AccountSid}:{TelephonyFixture.AuthToken}"))}", request.Authorization);
        var dial = XDocument.Parse(request.Form["Twiml"]).Root!.Element("Dial")!;
        Assert.Equal($"{TelephonyFixture.PublicBaseUrl}{DialEnded}", dial.Attribute("action")!.Value);
        Assert.Equal(TelephonyFixture.HelplineNumber, dial.Attribute("callerId")!.Value);
        Assert.Equal("advisor-7", dial.Element("Client")!.Value);
        Assert.Equal("Answered", await fixture.StateAsync(sid));

        var ended = DialResult(sid, "completed", parentStatus: "in-progress");
        var response = await fixture.PostTwilioAsync(DialEnded, ended);
        var replay = await fixture.PostTwilioAsync(DialEnded, ended);
        await fixture.PostTwilioAsync(Status, TelephonyFixture.StatusCallback(sid, "completed"));

        var twiml = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!;
        Assert.Equal(["Say", "Hangup"], twiml.Elements().Select(e => e.Name.LocalName));
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal("Completed", await fixture.StateAsync(sid));
        Assert.Equal("Advisor", await fixture.ScalarAsync<string>("SELECT ended_by FROM intake.inbound_calls WHERE provider_call_id = @sid", ("sid", sid)));
        Assert.Equal(1, await fixture.CountAsync($"SELECT count(*) FROM intake.outbox_messages WHERE message_type = 'Helpline.Contracts.CallEnded, Helpline.Contracts' AND payload->>'contactId' = '{contactId}'"));
        var published = await Eventually.WaitAsync(
            () => Task.FromResult(fixture.Published<CallEnded>().Messages.Where(m => m.GetProperty("contactId").GetGuid() == contactId).ToList()),
            list => list.Count == 1, Timeout, "CallEnded");
        Assert.Equal(JsonValueKind.Number, published[0].GetProperty("endedBy").ValueKind);
        Assert.Equal((int)CallEndedBy.Advisor, published[0].GetProperty("endedBy").GetInt32());
        Assert.Equal(0, fixture.Published<CallerHungUp>().CountWhere("contactId", contactId.ToString()));
    }

    [Fact]
    public async Task Caller_hanging_up_on_a_phone_advisor_completes_the_call_ended_by_the_caller()
    {
        var sid = TelephonyFixture.NewCallSid();
        await fixture.PostTwilioAsync(Incoming, TelephonyFixture.IncomingCall(sid, "anonymous"));
        var contactId = await fixture.ContactIdAsync(sid);

        await fixture.PublishAsync(new ConnectCall { ContactId = contactId, AdvisorId = Guid.NewGuid(), AdvisorEndpoint = "+447700900222" });
        await Eventually.WaitAsync(() => fixture.StateAsync(sid), state => state == "Answered", Timeout, "the call answered");
        var request = Assert.Single(fixture.Stub.Requests, r => r.Path.Contains(sid, StringComparison.Ordinal));
        Assert.Equal("+447700900222", XDocument.Parse(request.Form["Twiml"]).Root!.Element("Dial")!.Element("Number")!.Value);

        var response = await fixture.PostTwilioAsync(DialEnded, DialResult(sid, "completed", parentStatus: "completed"));

        Assert.Empty(XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!.Elements());
        Assert.Equal("Caller", await fixture.ScalarAsync<string>("SELECT ended_by FROM intake.inbound_calls WHERE provider_call_id = @sid", ("sid", sid)));
        await Eventually.WaitAsync(
            () => Task.FromResult(fixture.Published<CallEnded>().CountWhere("contactId", contactId.ToString())),
            count => count == 1, Timeout, "CallEnded");
    }

    [Fact]
    public async Task Twilio_failing_the_bridge_gives_CallConnectFailed_and_the_call_keeps_waiting()
    {
        var sid = TelephonyFixture.NewCallSid();
        await fixture.PostTwilioAsync(Incoming, TelephonyFixture.IncomingCall(sid));
        var contactId = await fixture.ContactIdAsync(sid);
        var advisorId = Guid.NewGuid();
        fixture.Stub.FailWith = 500;
        try
        {
            await fixture.PublishAsync(new ConnectCall { ContactId = contactId, AdvisorId = advisorId, AdvisorEndpoint = "client:advisor-8" });

            var failed = await Eventually.WaitAsync(
                () => Task.FromResult(fixture.Published<CallConnectFailed>().Messages.Where(m => m.GetProperty("contactId").GetGuid() == contactId).ToList()),
                list => list.Count == 1, Timeout, "CallConnectFailed");
            Assert.Equal(advisorId, failed[0].GetProperty("advisorId").GetGuid());
            Assert.Contains("HTTP 500", failed[0].GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            fixture.Stub.FailWith = null;
        }

        Assert.Equal("Queued", await fixture.StateAsync(sid));
        Assert.Single(fixture.Stub.Requests, r => r.Path.Contains(sid, StringComparison.Ordinal));
        Assert.Equal(0, fixture.Published<CallConnected>().CountWhere("contactId", contactId.ToString()));

        await fixture.PublishAsync(new ConnectCall { ContactId = contactId, AdvisorId = Guid.NewGuid(), AdvisorEndpoint = "client:advisor-9" });
        await Eventually.WaitAsync(
            () => Task.FromResult(fixture.Published<CallConnected>().CountWhere("contactId", contactId.ToString())),
            count => count == 1, Timeout, "CallConnected on the second advisor");
    }

    [Fact]
    public async Task Advisor_phone_not_answering_puts_the_caller_back_in_the_queue()
    {
        var sid = TelephonyFixture.NewCallSid();
        await fixture.PostTwilioAsync(Incoming, TelephonyFixture.IncomingCall(sid));
        var contactId = await fixture.ContactIdAsync(sid);
        await fixture.PublishAsync(new ConnectCall { ContactId = contactId, AdvisorId = Guid.NewGuid(), AdvisorEndpoint = "+447700900333" });
        await Eventually.WaitAsync(() => fixture.StateAsync(sid), state => state == "Answered", Timeout, "the bridge started");

        var response = await fixture.PostTwilioAsync(DialEnded, DialResult(sid, "no-answer", parentStatus: "in-progress"));

        var twiml = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!;
        Assert.Equal(["Say", "Enqueue"], twiml.Elements().Select(e => e.Name.LocalName));
        Assert.Equal("Queued", await fixture.StateAsync(sid));
        var failed = await Eventually.WaitAsync(
            () => Task.FromResult(fixture.Published<CallConnectFailed>().Messages.Where(m => m.GetProperty("contactId").GetGuid() == contactId).ToList()),
            list => list.Count == 1, Timeout, "CallConnectFailed");
        Assert.Contains("no-answer", failed[0].GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(UnansweredReason.NoAdvisors, "NoAdvisors", "no advisors available")]
    [InlineData(UnansweredReason.Overflow, "Overflow", "all our advisors are busy")]
    public async Task Turned_away_call_hears_the_message_and_signposting_and_is_recorded_with_the_reason(UnansweredReason reason, string state, string message)
    {
        var sid = TelephonyFixture.NewCallSid();
        await fixture.PostTwilioAsync(Incoming, TelephonyFixture.IncomingCall(sid));
        var contactId = await fixture.ContactIdAsync(sid);

        await fixture.PublishAsync(new TurnAwayCall { ContactId = contactId, Reason = reason });

        await Eventually.WaitAsync(() => fixture.StateAsync(sid), s => s == state, Timeout, $"the call recorded {state}");
        var request = Assert.Single(fixture.Stub.Requests, r => r.Path.Contains(sid, StringComparison.Ordinal));
        var twiml = XDocument.Parse(request.Form["Twiml"]).Root!;
        var said = twiml.Elements("Say").Select(e => e.Value).ToList();
        Assert.Contains(said, s => s.Contains(message, StringComparison.Ordinal));
        Assert.Equal(reason == UnansweredReason.Overflow, twiml.Element("Gather") is not null);
        Assert.Contains(said, s => s.Contains("999", StringComparison.Ordinal));
        Assert.Contains(said, s => s.Contains("116 123", StringComparison.Ordinal));
        Assert.Equal("Hangup", twiml.Elements().Last().Name.LocalName);

        await fixture.PostTwilioAsync(Status, TelephonyFixture.StatusCallback(sid, "completed"));
        Assert.Equal(state, await fixture.StateAsync(sid));
        Assert.Equal(0, await fixture.CountAsync($"SELECT count(*) FROM intake.outbox_messages WHERE message_type = 'Helpline.Contracts.CallerHungUp, Helpline.Contracts' AND payload->>'contactId' = '{contactId}'"));
    }

    [Fact]
    public async Task Hold_messages_tell_the_latest_place_in_the_queue()
    {
        var sid = TelephonyFixture.NewCallSid();
        await fixture.PostTwilioAsync(Incoming, TelephonyFixture.IncomingCall(sid));
        var contactId = await fixture.ContactIdAsync(sid);
        var waitForm = TelephonyFixture.StatusCallback(sid, "in-progress");
        waitForm["QueuePosition"] = "1";
        waitForm["QueueTime"] = "30";

        var before = XDocument.Parse(await (await fixture.PostTwilioAsync(Wait, waitForm)).Content.ReadAsStringAsync()).Root!;
        var now = fixture.Time.GetUtcNow();
        await fixture.PublishAsync(new CallQueuePositions { Calls = [new() { ContactId = contactId, Position = 3, EstimatedWait = TimeSpan.FromSeconds(200) }], At = now });
        await Eventually.WaitAsync(
            () => fixture.ScalarAsync<int?>("SELECT queue_position FROM intake.inbound_calls WHERE id = @id", ("id", contactId)),
            position => position == 3, Timeout, "the queue position stored");
        await fixture.PublishAsync(new CallQueuePositions { Calls = [new() { ContactId = contactId, Position = 9 }], At = now.AddSeconds(-10) });
        await fixture.PublishAsync(new CallQueuePositions { Calls = [new() { ContactId = Guid.NewGuid(), Position = 1 }], At = now });
        await fixture.PublishAsync(new CallQueuePositions { Calls = [new() { ContactId = contactId, Position = 2, EstimatedWait = TimeSpan.FromSeconds(50) }], At = now.AddSeconds(1) });
        await Eventually.WaitAsync(
            () => fixture.ScalarAsync<int?>("SELECT queue_position FROM intake.inbound_calls WHERE id = @id", ("id", contactId)),
            position => position == 2, Timeout, "the newest queue position stored");
        var after = XDocument.Parse(await (await fixture.PostTwilioAsync(Wait, waitForm)).Content.ReadAsStringAsync()).Root!;

        Assert.Equal(["Say", "Pause"], before.Elements().Select(e => e.Name.LocalName));
        Assert.Equal("15", before.Element("Pause")!.Attribute("length")!.Value);
        var said = after.Elements("Say").Select(e => e.Value).ToList();
        Assert.Equal("You are number 2 in the queue.", said[0]);
        Assert.Equal("We expect to answer your call within about a minute.", said[1]);
    }

    [Fact]
    public async Task Position_zero_while_ringing_at_an_advisor_is_kept_and_the_caller_hears_connecting_now()
    {
        var sid = TelephonyFixture.NewCallSid();
        await fixture.PostTwilioAsync(Incoming, TelephonyFixture.IncomingCall(sid));
        var contactId = await fixture.ContactIdAsync(sid);
        var now = fixture.Time.GetUtcNow();
        await fixture.PublishAsync(new CallQueuePositions { Calls = [new() { ContactId = contactId, Position = 1, EstimatedWait = TimeSpan.FromSeconds(40) }], At = now });
        await fixture.PublishAsync(new CallQueuePositions { Calls = [new() { ContactId = contactId, Position = 0, EstimatedWait = TimeSpan.Zero }], At = now.AddSeconds(1) });

        await Eventually.WaitAsync(
            () => fixture.ScalarAsync<int?>("SELECT queue_position FROM intake.inbound_calls WHERE id = @id", ("id", contactId)),
            position => position == 0, Timeout, "position 0 stored");
        var twiml = XDocument.Parse(await (await fixture.PostTwilioAsync(Wait, TelephonyFixture.StatusCallback(sid, "in-progress"))).Content.ReadAsStringAsync()).Root!;

        Assert.Equal(["Say", "Pause"], twiml.Elements().Select(e => e.Name.LocalName));
        Assert.Contains("Connecting you now", twiml.Element("Say")!.Value, StringComparison.Ordinal);
        Assert.True((await fixture.VirtualHost.QueueDepthAsync("call-queue-updated_error") ?? 0) == 0, "call-queue-updated_error has messages");
    }

    [Fact]
    public async Task One_announcement_sets_every_listed_call_and_skips_unknown_and_invalid_entries()
    {
        var contactIds = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            var sid = TelephonyFixture.NewCallSid();
            await fixture.PostTwilioAsync(Incoming, TelephonyFixture.IncomingCall(sid));
            contactIds.Add(await fixture.ContactIdAsync(sid));
        }

        await fixture.PublishAsync(new CallQueuePositions
        {
            Calls =
            [
                new() { ContactId = contactIds[0], Position = 1, EstimatedWait = TimeSpan.FromSeconds(30) },
                new() { ContactId = Guid.NewGuid(), Position = 2, EstimatedWait = TimeSpan.FromSeconds(60) },
                new() { ContactId = contactIds[1], Position = -3 },
                new() { ContactId = contactIds[2], Position = 4, EstimatedWait = TimeSpan.FromSeconds(120) },
            ],
            At = fixture.Time.GetUtcNow(),
        });

        await Eventually.WaitAsync(
            () => fixture.ScalarAsync<int?>("SELECT queue_position FROM intake.inbound_calls WHERE id = @id", ("id", contactIds[2])),
            position => position == 4, Timeout, "the last listed call's position stored");
        Assert.Equal(1, await fixture.ScalarAsync<int?>("SELECT queue_position FROM intake.inbound_calls WHERE id = @id", ("id", contactIds[0])));
        Assert.Equal(120, await fixture.ScalarAsync<double?>("SELECT extract(epoch FROM estimated_wait)::float8 FROM intake.inbound_calls WHERE id = @id", ("id", contactIds[2])));
        Assert.Null(await fixture.ScalarAsync<int?>("SELECT queue_position FROM intake.inbound_calls WHERE id = @id", ("id", contactIds[1])));
        Assert.True((await fixture.VirtualHost.QueueDepthAsync("call-queue-updated_error") ?? 0) == 0, "call-queue-updated_error has messages");
    }

    [Fact]
    public async Task Commands_for_unknown_contacts_or_with_bad_values_are_dropped_without_faults_or_retries()
    {
        var unknown = Guid.NewGuid();
        var sid = TelephonyFixture.NewCallSid();
        await fixture.PostTwilioAsync(Incoming, TelephonyFixture.IncomingCall(sid));
        var contactId = await fixture.ContactIdAsync(sid);
        var requestsBefore = fixture.Stub.Requests.Count;

        await fixture.PublishAsync(new ConnectCall { ContactId = unknown, AdvisorId = Guid.NewGuid(), AdvisorEndpoint = "client:advisor-1" });
        await fixture.PublishAsync(new TurnAwayCall { ContactId = unknown, Reason = UnansweredReason.NoAdvisors });
        await fixture.PublishAsync(new TurnAwayCall { ContactId = contactId, Reason = UnansweredReason.OutOfHours });
        await fixture.PublishAsync(new CallQueuePositions { Calls = [new() { ContactId = contactId, Position = -1 }], At = fixture.Time.GetUtcNow() });
        await fixture.PublishAsync(new ConnectCall { ContactId = contactId, AdvisorId = Guid.NewGuid(), AdvisorEndpoint = "sip:not-supported" });

        var failed = await Eventually.WaitAsync(
            () => Task.FromResult(fixture.Published<CallConnectFailed>().Messages.Where(m => m.GetProperty("contactId").GetGuid() == contactId).ToList()),
            list => list.Count == 1, Timeout, "CallConnectFailed for the bad endpoint");
        Assert.Contains("endpoint", failed[0].GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("Queued", await fixture.StateAsync(sid));
        Assert.Equal(requestsBefore, fixture.Stub.Requests.Count);
        Assert.Equal(0, await fixture.CountAsync($"SELECT count(*) FROM intake.outbox_messages WHERE payload->>'contactId' = '{unknown}'"));
        foreach (var queue in new[] { "connect-call_error", "turn-away-call_error", "call-queue-updated_error" })
        {
            Assert.True((await fixture.VirtualHost.QueueDepthAsync(queue) ?? 0) == 0, $"{queue} has messages");
        }
    }

    private static Dictionary<string, string> DialResult(string callSid, string dialStatus, string parentStatus)
    {
        var form = TelephonyFixture.StatusCallback(callSid, parentStatus);
        form["DialCallSid"] = TelephonyFixture.NewCallSid();
        form["DialCallStatus"] = dialStatus;
        form["DialCallDuration"] = "42";
        return form;
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, int status)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
    }
}
