namespace Helpline.Intake.Tests.Telephony;

/// <summary>Console's <c>EndCall</c> (the advisor completed the call in the console), against Twilio's REST API stub.</summary>
public sealed class EndCallTests(OpenHelplineFixture fixture) : IClassFixture<OpenHelplineFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private async Task<(string Sid, Guid ContactId, Guid AdvisorId)> AnsweredCallAsync()
    {
        var sid = TelephonyFixture.NewCallSid();
        await fixture.PostTwilioAsync("/twilio/voice/incoming", TelephonyFixture.IncomingCall(sid));
        var contactId = await fixture.ContactIdAsync(sid);
        var advisorId = Guid.NewGuid();
        await fixture.PublishAsync(new ConnectCall { ContactId = contactId, AdvisorId = advisorId, AdvisorEndpoint = "client:advisor-3" });
        await Eventually.WaitAsync(() => fixture.StateAsync(sid), state => state == "Answered", Timeout, "the call answered");
        return (sid, contactId, advisorId);
    }

    private List<StubRequest> HangUps(string sid) =>
        fixture.Stub.Requests.Where(r => r.Path.Contains(sid, StringComparison.Ordinal) && r.Form.GetValueOrDefault("Status") == "completed").ToList();

    private Task<long> CallEndedRowsAsync(Guid contactId) =>
        fixture.CountAsync($"SELECT count(*) FROM intake.outbox_messages WHERE message_type = 'Helpline.Contracts.CallEnded, Helpline.Contracts' AND payload->>'contactId' = '{contactId}'");

    [Fact]
    public async Task Advisor_completing_an_answered_call_records_it_and_hangs_up_over_Twilio_without_publishing_CallEnded()
    {
        var (sid, contactId, advisorId) = await AnsweredCallAsync();
        var at = fixture.Time.GetUtcNow();

        await fixture.PublishAsync(new EndCall { ContactId = contactId, AdvisorId = advisorId, At = at });

        var hangUp = (await Eventually.WaitAsync(() => Task.FromResult(HangUps(sid)), list => list.Count == 1, Timeout, "the hang-up request")).Single();
        Assert.Equal($"/2010-04-01/Accounts/{TelephonyFixture.AccountSid}/Calls/{sid}.json", hangUp.Path);
        Assert.False(hangUp.Form.ContainsKey("Twiml"));
        Assert.Equal("Completed", await fixture.StateAsync(sid));
        Assert.Equal("Advisor", await fixture.ScalarAsync<string>("SELECT ended_by FROM intake.inbound_calls WHERE id = @id", ("id", contactId)));

        // Twilio then reports the call and the advisor's leg ended: both find it completed.
        await fixture.PostTwilioAsync("/twilio/voice/status", TelephonyFixture.StatusCallback(sid, "completed"));
        Assert.Equal("Advisor", await fixture.ScalarAsync<string>("SELECT ended_by FROM intake.inbound_calls WHERE id = @id", ("id", contactId)));
        Assert.Equal(0, await CallEndedRowsAsync(contactId));
        Assert.Equal(0, fixture.Published<CallEnded>().CountWhere("contactId", contactId.ToString()));
    }

    [Fact]
    public async Task Call_the_caller_already_ended_is_left_as_it_is()
    {
        var (sid, contactId, advisorId) = await AnsweredCallAsync();
        await fixture.PostTwilioAsync("/twilio/voice/status", TelephonyFixture.StatusCallback(sid, "completed"));
        await Eventually.WaitAsync(
            () => Task.FromResult(fixture.Published<CallEnded>().CountWhere("contactId", contactId.ToString())),
            count => count == 1, Timeout, "CallEnded from the caller hanging up");

        await fixture.PublishAsync(new EndCall { ContactId = contactId, AdvisorId = advisorId, At = fixture.Time.GetUtcNow() });
        var (laterSid, laterContactId, laterAdvisorId) = await AnsweredCallAsync();
        await fixture.PublishAsync(new EndCall { ContactId = laterContactId, AdvisorId = laterAdvisorId, At = fixture.Time.GetUtcNow() });
        await Eventually.WaitAsync(() => Task.FromResult(HangUps(laterSid)), list => list.Count == 1, Timeout, "the later call hung up (the queue is past the first EndCall)");

        Assert.Empty(HangUps(sid));
        Assert.Equal("Caller", await fixture.ScalarAsync<string>("SELECT ended_by FROM intake.inbound_calls WHERE id = @id", ("id", contactId)));
        Assert.Equal(1, await CallEndedRowsAsync(contactId));
    }

    [Fact]
    public async Task Another_advisors_EndCall_or_one_for_a_waiting_or_unknown_call_changes_nothing()
    {
        var (sid, contactId, _) = await AnsweredCallAsync();
        var waitingSid = TelephonyFixture.NewCallSid();
        await fixture.PostTwilioAsync("/twilio/voice/incoming", TelephonyFixture.IncomingCall(waitingSid));
        var waitingId = await fixture.ContactIdAsync(waitingSid);
        var faultsBefore = await fixture.VirtualHost.QueueDepthAsync("end-call_error") ?? 0;

        await fixture.PublishAsync(new EndCall { ContactId = contactId, AdvisorId = Guid.NewGuid(), At = fixture.Time.GetUtcNow() });
        await fixture.PublishAsync(new EndCall { ContactId = waitingId, AdvisorId = Guid.NewGuid(), At = fixture.Time.GetUtcNow() });
        await fixture.PublishAsync(new EndCall { ContactId = Guid.NewGuid(), AdvisorId = Guid.NewGuid(), At = fixture.Time.GetUtcNow() });
        var (markerSid, markerId, markerAdvisor) = await AnsweredCallAsync();
        await fixture.PublishAsync(new EndCall { ContactId = markerId, AdvisorId = markerAdvisor, At = fixture.Time.GetUtcNow() });
        await Eventually.WaitAsync(() => Task.FromResult(HangUps(markerSid)), list => list.Count == 1, Timeout, "the marker call hung up");

        Assert.Equal("Answered", await fixture.StateAsync(sid));
        Assert.Equal("Queued", await fixture.StateAsync(waitingSid));
        Assert.Empty(HangUps(sid));
        Assert.Empty(HangUps(waitingSid));
        Assert.Equal(faultsBefore, await fixture.VirtualHost.QueueDepthAsync("end-call_error") ?? 0);
    }

    [Fact]
    public async Task Redelivered_EndCall_hangs_up_again_and_Twilio_saying_the_call_already_ended_is_success()
    {
        var (sid, contactId, advisorId) = await AnsweredCallAsync();
        var command = new EndCall { ContactId = contactId, AdvisorId = advisorId, At = fixture.Time.GetUtcNow() };
        await fixture.PublishAsync(command);
        await Eventually.WaitAsync(() => Task.FromResult(HangUps(sid)), list => list.Count == 1, Timeout, "the first hang-up");

        var (markerSid, markerId, markerAdvisor) = await AnsweredCallAsync();
        var faultsBefore = await fixture.VirtualHost.QueueDepthAsync("end-call_error") ?? 0;
        fixture.Stub.FailWith = 400;
        fixture.Stub.FailCode = 21220;
        try
        {
            await fixture.PublishAsync(command);
            await Eventually.WaitAsync(() => Task.FromResult(HangUps(sid)), list => list.Count == 2, Timeout, "the repeated hang-up");
            await fixture.PublishAsync(new EndCall { ContactId = markerId, AdvisorId = markerAdvisor, At = fixture.Time.GetUtcNow() });
            await Eventually.WaitAsync(() => Task.FromResult(HangUps(markerSid)), list => list.Count == 1, Timeout, "the marker call hung up");
        }
        finally
        {
            fixture.Stub.FailWith = null;
            fixture.Stub.FailCode = 20500;
        }

        Assert.Equal(2, HangUps(sid).Count);
        Assert.Equal(0, await CallEndedRowsAsync(contactId));
        Assert.Equal(faultsBefore, await fixture.VirtualHost.QueueDepthAsync("end-call_error") ?? 0);
    }

    [Fact]
    public async Task Twilio_failing_the_hang_up_is_retried_then_faults_and_the_call_stays_completed_by_the_advisor()
    {
        var (sid, contactId, advisorId) = await AnsweredCallAsync();
        var faultsBefore = await fixture.VirtualHost.QueueDepthAsync("end-call_error") ?? 0;
        fixture.Stub.FailWith = 503;
        try
        {
            await fixture.PublishAsync(new EndCall { ContactId = contactId, AdvisorId = advisorId, At = fixture.Time.GetUtcNow() });

            await Eventually.WaitAsync(() => fixture.VirtualHost.QueueDepthAsync("end-call_error"), depth => depth == faultsBefore + 1, Timeout, "EndCall faulted after its retries");
        }
        finally
        {
            fixture.Stub.FailWith = null;
        }

        Assert.Equal(4, HangUps(sid).Count);
        Assert.Equal("Completed", await fixture.StateAsync(sid));
        Assert.Equal("Advisor", await fixture.ScalarAsync<string>("SELECT ended_by FROM intake.inbound_calls WHERE id = @id", ("id", contactId)));
        Assert.Equal(0, await CallEndedRowsAsync(contactId));
    }
}
