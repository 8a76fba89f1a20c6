using Helpline.Testing;
using Microsoft.AspNetCore.SignalR.Client;

namespace Helpline.Browser.Tests;

public sealed class ConsoleFlowTests(BrowserFixture fixture) : ConsoleTest<BrowserFixture>(fixture), IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Advisor_signs_in_goes_Available_answers_a_call_posted_to_Intake_wraps_up_and_is_Available_again()
    {
        var (name, _) = await NewAdvisorAsync("alice");
        var advisor = await NewPageAsync();
        await advisor.SignInAsync(name);
        await Expect(advisor.Status).ToHaveTextAsync("Offline");
        await Expect(advisor.Page.Locator("#user-name")).ToHaveTextAsync(name);

        await advisor.GoAvailableAsync();
        await PostCallAsync();

        await Expect(advisor.Offers).ToHaveCountAsync(1);
        await Expect(advisor.Offers.GetByRole(AriaRole.Heading)).ToHaveTextAsync("Call ringing");
        await Expect(advisor.OfferCountdown).ToHaveTextAsync(AdvisorPage.Seconds());
        await Expect(advisor.Status).ToHaveTextAsync("Ringing");
        await Expect(advisor.Page).ToHaveTitleAsync("Ringing – Advisor console");
        await Screenshots.SaveAsync(advisor.Page, "console-ringing-offer.png");

        await advisor.Button("Accept call").ClickAsync();

        await Expect(advisor.Offers).ToHaveCountAsync(0);
        await Expect(advisor.Contacts.GetByRole(AriaRole.Heading, new() { Name = "On a call" })).ToBeVisibleAsync();
        await Expect(advisor.Contacts.GetByRole(AriaRole.Timer)).ToHaveTextAsync(AdvisorPage.Duration());
        await Expect(advisor.Status).ToHaveTextAsync("On a contact");
        await Screenshots.SaveAsync(advisor.Page, "console-on-a-call.png");

        await advisor.Button("Complete call").ClickAsync();

        await Expect(advisor.Contacts).ToHaveCountAsync(0);
        await Expect(advisor.WrapUp).ToBeVisibleAsync();
        await Expect(advisor.WrapUpLeft).ToHaveTextAsync(AdvisorPage.Duration());
        await Expect(advisor.Status).ToHaveTextAsync("Wrap-up");
        await Expect(advisor.Notes).ToContainTextAsync("The call is complete.");

        await advisor.Button("End wrap-up now").ClickAsync();

        await Expect(advisor.Status).ToHaveTextAsync("Available");
        await Expect(advisor.WrapUp).ToBeHiddenAsync();
        await Expect(advisor.Idle).ToContainTextAsync("The next contact will ring here.");
    }

    [Fact]
    public async Task Declined_offer_disappears_and_the_advisor_stays_Available_while_the_call_rings_elsewhere()
    {
        var (name, _) = await NewAdvisorAsync("decliner");
        var (backupName, _) = await NewAdvisorAsync("backup");
        await using var backup = await AdvisorClient.ConnectAsync(Fixture.Console, backupName);
        var advisor = await NewPageAsync();
        await advisor.SignInAsync(name);
        await advisor.GoAvailableAsync();
        var contactId = await PostCallAsync();
        await Expect(advisor.Offers).ToHaveCountAsync(1);

        // Available only now (the router has applied it when the call returns), so the call rang in
        // the browser first and goes to the backup next.
        await backup.Connection.InvokeAsync("SetStatus", "Available", null);
        await advisor.Button("Decline call").ClickAsync();

        await Expect(advisor.Offers).ToHaveCountAsync(0);
        await Expect(advisor.Notes).ToContainTextAsync("You declined the call. It has gone back to the queue.");
        await Expect(advisor.Status).ToHaveTextAsync("Available");
        await backup.WaitForOfferAsync(contactId, ServicesFixture.Timeout);
        await Expect(advisor.Idle).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_whole_flow_works_from_the_keyboard_alone()
    {
        var (name, _) = await NewAdvisorAsync("kim");
        var advisor = await NewPageAsync();
        var keyboard = advisor.Page.Keyboard;
        await advisor.Page.GotoAsync("/");

        await Expect(advisor.Page.GetByLabel("User name")).ToBeFocusedAsync();
        await keyboard.TypeAsync(name);
        await keyboard.PressAsync("Tab");
        await Expect(advisor.Page.GetByLabel("Password")).ToBeFocusedAsync();
        await keyboard.TypeAsync(TestAccounts.Password);
        await keyboard.PressAsync("Enter");
        await advisor.ConnectedAsync();

        await advisor.TabToAsync(advisor.Button("Available"));
        await keyboard.PressAsync("Enter");
        await Expect(advisor.Status).ToHaveTextAsync("Available");

        await PostCallAsync();
        await Expect(advisor.Offers).ToHaveCountAsync(1);
        var firstOffer = await advisor.Offers.GetAttributeAsync("aria-labelledby");
        await keyboard.PressAsync("Alt+KeyD");

        await Expect(advisor.Notes).ToContainTextAsync("You declined the call.");
        await Expect(advisor.Offers).ToHaveCountAsync(1);
        Assert.NotEqual(firstOffer, await advisor.Offers.GetAttributeAsync("aria-labelledby"));
        await keyboard.PressAsync("Alt+KeyA");

        await Expect(advisor.Contacts.GetByRole(AriaRole.Heading, new() { Name = "On a call" })).ToBeVisibleAsync();
        await advisor.TabToAsync(advisor.Button("Complete call"));
        await keyboard.PressAsync("Enter");

        await Expect(advisor.WrapUp).ToBeVisibleAsync();
        await Expect(advisor.Page.GetByRole(AriaRole.Heading, new() { Name = "Wrap-up" })).ToBeFocusedAsync();
        await advisor.TabToAsync(advisor.Button("More time"));
        await keyboard.PressAsync("Tab");
        await Expect(advisor.Button("End wrap-up now")).ToBeFocusedAsync();
        await keyboard.PressAsync("Enter");
        await Expect(advisor.Status).ToHaveTextAsync("Available");

        await advisor.TabToAsync(advisor.Button("Sign out"));
        await keyboard.PressAsync("Enter");
        await Expect(advisor.SignInForm).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Signing_out_leaves_nothing_personal_in_browser_storage_and_sets_the_advisor_Offline()
    {
        var (name, id) = await NewAdvisorAsync("sasha");
        var advisor = await NewPageAsync();
        await advisor.SignInAsync(name);
        await advisor.GoAvailableAsync();

        await advisor.Button("Sign out").ClickAsync();

        await Expect(advisor.SignInForm).ToBeVisibleAsync();
        await Expect(advisor.ConsoleView).ToBeHiddenAsync();
        await Expect(advisor.SignInNote).ToHaveTextAsync("You have signed out.");
        await Expect(advisor.Page.GetByLabel("User name")).ToHaveValueAsync("");
        await Expect(advisor.Page.Locator("#user-name")).ToHaveTextAsync("");
        Assert.Empty(await advisor.StorageAsync());
        Assert.Equal("Offline", await Fixture.RoutingStatusAsync(id));
        Assert.Equal(401, await advisor.Page.EvaluateAsync<int>("() => fetch('/api/account/me').then(r => r.status)"));

        await advisor.Page.ReloadAsync();
        await Expect(advisor.SignInForm).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Two_tabs_of_one_advisor_show_the_same_status_both_ring_and_an_accept_in_one_stops_the_other()
    {
        var (name, _) = await NewAdvisorAsync("tabs");
        var context = await NewContextAsync();
        var first = new AdvisorPage(await context.NewPageAsync());
        await first.SignInAsync(name);
        var second = new AdvisorPage(await context.NewPageAsync());
        await second.Page.GotoAsync("/");
        await second.ConnectedAsync();

        await first.GoAvailableAsync();
        await Expect(second.Status).ToHaveTextAsync("Available");

        await PostCallAsync();
        await Expect(first.Offers).ToHaveCountAsync(1);
        await Expect(second.Offers).ToHaveCountAsync(1);

        // The second tab has had no click or key press yet, so this click also turns its sound on.
        await second.Button("Accept call").ClickAsync();

        await Expect(second.Contacts).ToHaveCountAsync(1);
        await Expect(second.Offers).ToHaveCountAsync(0);
        await Expect(first.Contacts).ToHaveCountAsync(1);
        await Expect(first.Offers).ToHaveCountAsync(0);
        await Expect(first.Status).ToHaveTextAsync("On a contact");
        await Expect(second.Status).ToHaveTextAsync("On a contact");
        await Expect(first.Page).Not.ToHaveTitleAsync("Ringing – Advisor console");

        await first.Button("Complete call").ClickAsync();
        await Expect(second.WrapUp).ToBeVisibleAsync();
        await second.Button("End wrap-up now").ClickAsync();
        await Expect(first.Status).ToHaveTextAsync("Available");
        await Expect(first.WrapUp).ToBeHiddenAsync();

        await first.Button("Sign out").ClickAsync();
        await Expect(first.SignInForm).ToBeVisibleAsync();
        await Expect(second.SignInForm).ToBeVisibleAsync();
        await Expect(second.ConsoleView).ToBeHiddenAsync();
        await Expect(second.Page.Locator("#user-name")).ToHaveTextAsync("");
    }
}
