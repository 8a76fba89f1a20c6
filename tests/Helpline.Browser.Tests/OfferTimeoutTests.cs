namespace Helpline.Browser.Tests;

/// <summary>Offers nobody answers. Offers ring for 6 seconds here (<see cref="ShortOfferFixture"/>).</summary>
public sealed class OfferTimeoutTests(ShortOfferFixture fixture) : ConsoleTest<ShortOfferFixture>(fixture), IClassFixture<ShortOfferFixture>
{
    [Fact]
    public async Task Offer_not_answered_in_time_is_withdrawn_as_missed_and_two_misses_put_the_advisor_on_Break()
    {
        var (name, id) = await NewAdvisorAsync("sleepy");
        var advisor = await NewPageAsync();
        await advisor.SignInAsync(name);
        await advisor.GoAvailableAsync();
        await PostCallAsync();
        await Expect(advisor.Offers).ToHaveCountAsync(1);
        await Expect(advisor.OfferCountdown).ToHaveTextAsync(AdvisorPage.Seconds());
        var firstOffer = await advisor.Offers.GetAttributeAsync("aria-labelledby");

        // Nobody else is signed in, so the missed call rings here again at once (src/Helpline.Routing/README.md).
        await Expect(advisor.Notes).ToContainTextAsync("The call was not accepted in time and has gone back to the queue.");
        await Expect(advisor.Offers).Not.ToHaveAttributeAsync("aria-labelledby", firstOffer!);
        await Expect(advisor.Offers).ToHaveCountAsync(1);

        await Expect(advisor.Offers).ToHaveCountAsync(0);
        await Expect(advisor.Status).ToHaveTextAsync("Break");
        await Expect(advisor.Page.Locator("#status-reason")).ToHaveTextAsync("(missed offers)");
        await Expect(advisor.Notes).ToContainTextAsync("You were put on Break after missing two offers.");
        Assert.Equal("Break", await Fixture.RoutingStatusAsync(id));
    }
}
