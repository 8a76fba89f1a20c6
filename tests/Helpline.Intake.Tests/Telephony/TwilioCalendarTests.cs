using System.Xml.Linq;

namespace Helpline.Intake.Tests.Telephony;

/// <summary>
/// A year of calls through the incoming-call webhook on a fake clock: the edges of the day, a Wednesday
/// morning, both clock changes, bank holidays and a special closure added and removed through the API.
/// Each call is recorded Queued (ContactReceived) or OutOfHours (CallNotQueued), as docs/domain.md defines them.
/// </summary>
public sealed class TwilioCalendarTests(CalendarFixture fixture) : IClassFixture<CalendarFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Calls_through_the_year_are_queued_in_hours_and_recorded_out_of_hours_otherwise()
    {
        await Expect("2026-03-27T09:29:59Z", queued: false, "Friday 09:29:59 GMT");
        await Expect("2026-03-27T09:30:00Z", queued: true, "Friday 09:30 GMT");
        await Expect("2026-03-27T15:59:00Z", queued: true, "Friday 15:59 GMT");
        await Expect("2026-03-27T15:59:59Z", queued: true, "Friday 15:59:59 GMT");
        await Expect("2026-03-27T16:00:00Z", queued: false, "Friday 16:00 GMT", nextOpening: "Monday 30 March at 9:30am");
        await Expect("2026-03-29T00:59:59Z", queued: false, "Sunday just before the clocks go forward");
        await Expect("2026-03-30T08:29:59Z", queued: false, "Monday 09:29:59 BST");
        await Expect("2026-03-30T08:30:00Z", queued: true, "Monday 09:30 BST");
        await Expect("2026-03-30T14:59:00Z", queued: true, "Monday 15:59 BST");
        await Expect("2026-03-30T15:00:00Z", queued: false, "Monday 16:00 BST (15:00 UTC)");
        await Expect("2026-04-01T08:30:00Z", queued: false, "Wednesday morning", nextOpening: "Wednesday 1 April at 1pm");
        await Expect("2026-04-01T12:00:00Z", queued: true, "Wednesday 13:00 BST");
        await Expect("2026-04-03T09:00:00Z", queued: false, "Good Friday", nextOpening: "Tuesday 7 April at 9:30am");
        await Expect("2026-04-06T09:00:00Z", queued: false, "Easter Monday");

        fixture.Time.SetUtcNow(DateTimeOffset.Parse("2026-04-07T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var training = new SpecialClosureScheduled
        {
            ClosureId = Guid.NewGuid(),
            StartsAt = DateTimeOffset.Parse("2026-04-09T13:00:00+01:00", System.Globalization.CultureInfo.InvariantCulture),
            EndsAt = DateTimeOffset.Parse("2026-04-09T16:00:00+01:00", System.Globalization.CultureInfo.InvariantCulture),
            Reason = "Team training",
        };
        await fixture.PublishAsync(training);
        await Eventually.WaitAsync(() => fixture.Database.CountAsync($"SELECT count(*) FROM intake.closures WHERE id = '{training.ClosureId}'"), c => c == 1, Timeout, "the closure from Console (its times in BST)");
        await Expect("2026-04-09T11:59:59Z", queued: true, "Thursday 12:59:59 BST, before the training");
        await Expect("2026-04-09T12:00:00Z", queued: false, "Thursday 13:00 BST, training afternoon", nextOpening: "Friday 10 April at 9:30am");

        await fixture.PublishAsync(new SpecialClosureCancelled
        {
            ClosureId = training.ClosureId, StartsAt = training.StartsAt, EndsAt = training.EndsAt, Reason = training.Reason, CancelledAt = fixture.Time.GetUtcNow(),
        });
        await Eventually.WaitAsync(
            () => fixture.Database.CountAsync($"SELECT count(*) FROM intake.closures WHERE id = '{training.ClosureId}' AND cancelled_at IS NOT NULL"), c => c == 1, Timeout, "the cancellation from Console");
        await Expect("2026-04-09T13:00:00Z", queued: true, "Thursday 14:00 BST once the training is cancelled");

        await Expect("2026-05-04T09:00:00Z", queued: false, "Early May bank holiday");
        await Expect("2026-10-23T08:30:00Z", queued: true, "Friday 09:30 BST before the clocks go back");
        await Expect("2026-10-23T15:00:00Z", queued: false, "Friday 16:00 BST", nextOpening: "Monday 26 October at 9:30am");
        await Expect("2026-10-26T08:30:00Z", queued: false, "Monday 08:30 GMT: an hour early now");
        await Expect("2026-10-26T09:29:59Z", queued: false, "Monday 09:29:59 GMT");
        await Expect("2026-10-26T09:30:00Z", queued: true, "Monday 09:30 GMT");
        await Expect("2026-10-26T15:59:00Z", queued: true, "Monday 15:59 GMT");
        await Expect("2026-10-26T16:00:00Z", queued: false, "Monday 16:00 GMT");
        await Expect("2026-12-25T11:00:00Z", queued: false, "Christmas Day");
        await Expect("2026-12-28T11:00:00Z", queued: false, "Boxing Day substitute", nextOpening: "Tuesday 29 December at 9:30am");
    }

    private async Task Expect(string at, bool queued, string when, string? nextOpening = null)
    {
        fixture.Time.SetUtcNow(DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture));
        var sid = TelephonyFixture.NewCallSid();

        var response = await fixture.PostTwilioAsync("/twilio/voice/incoming", TelephonyFixture.IncomingCall(sid));

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{when}: {response.StatusCode}");
        var twiml = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!;
        var contactId = await fixture.ContactIdAsync(sid);
        Assert.True((queued ? "Queued" : "OutOfHours") == await fixture.StateAsync(sid), $"{when}: recorded {await fixture.StateAsync(sid)}");
        if (queued)
        {
            Assert.True(twiml.Element("Enqueue") is not null, $"{when}: not enqueued");
            await Eventually.WaitAsync(() => Task.FromResult(fixture.Published<ContactReceived>().CountWhere("contactId", contactId.ToString())), c => c == 1, Timeout, $"{when}: ContactReceived");
            Assert.Equal(0, fixture.Published<CallNotQueued>().CountWhere("contactId", contactId.ToString()));
            return;
        }

        Assert.True(twiml.Element("Enqueue") is null, $"{when}: enqueued although closed");
        Assert.Equal("Hangup", twiml.Elements().Last().Name.LocalName);
        var said = string.Join(" ", twiml.Elements("Say").Select(e => e.Value));
        Assert.Contains("Monday, Tuesday, Thursday and Friday from 9:30am to 4pm, and Wednesday from 1pm to 4pm", said, StringComparison.Ordinal);
        Assert.Contains("999", said, StringComparison.Ordinal);
        Assert.Contains("0808 2000 247", said, StringComparison.Ordinal);
        if (nextOpening is not null)
        {
            Assert.True(said.Contains($"next be open on {nextOpening}", StringComparison.Ordinal), $"{when}: {said}");
        }

        var notQueued = await Eventually.WaitAsync(
            () => Task.FromResult(fixture.Published<CallNotQueued>().Messages.Where(m => m.GetProperty("contactId").GetGuid() == contactId).ToList()),
            list => list.Count == 1, Timeout, $"{when}: CallNotQueued");
        Assert.Equal((int)UnansweredReason.OutOfHours, notQueued[0].GetProperty("reason").GetInt32());
        Assert.Equal(sid, notQueued[0].GetProperty("providerReference").GetString());
        Assert.Equal(0, fixture.Published<ContactReceived>().CountWhere("contactId", contactId.ToString()));
    }
}
