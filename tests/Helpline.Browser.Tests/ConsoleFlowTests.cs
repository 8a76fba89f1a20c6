using System.Text.Json;
using System.Text.RegularExpressions;
using Helpline.Testing;
using Microsoft.AspNetCore.SignalR.Client;

namespace Helpline.Browser.Tests;

public sealed class ConsoleFlowTests(BrowserFixture fixture) : ConsoleTest<BrowserFixture>(fixture), IClassFixture<BrowserFixture>
{
    private const string Fixated = "Fixated: Is the person fixated on the caller?";
    private const string Obsessive = "Obsessive: Is the behaviour obsessive?";
    private const string Unwanted = "Unwanted: Is the contact or attention unwanted?";
    private const string Repeated = "Repeated: Has it happened two or more times?";
    private const string IsStalking = "Overall, is this stalking?";
    private const string SafeToCallBack = "Is it safe to call the caller back?";
    private const string Relationship = "Relationship to the person stalking";
    private const string Police = "Reported to the police?";
    private const string CallbackNumber = "+447700900123"; // Ofcom's range for drama: nobody's number

    [Fact]
    public async Task Advisor_signs_in_goes_Available_answers_a_call_fills_the_record_which_survives_a_reload_wraps_up_and_is_Available_again()
    {
        var (name, _) = await NewAdvisorAsync("alice");
        var advisor = await NewPageAsync();
        await advisor.SignInAsync(name);
        await Expect(advisor.Status).ToHaveTextAsync("Offline");
        await Expect(advisor.Page.Locator("#user-name")).ToHaveTextAsync(name);

        await advisor.GoAvailableAsync();
        var contactId = await PostCallAsync();

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

        await advisor.RecordLoadedAsync();
        await Expect(advisor.SaveState).ToHaveTextAsync("Not saved yet");
        foreach (var four in new[] { Fixated, Obsessive, Unwanted, Repeated, IsStalking })
        {
            await advisor.Answer(four, "Yes").CheckAsync();
        }

        await advisor.Field(Relationship).SelectOptionAsync(new SelectOptionValue { Label = "Ex-intimate partner" });
        await advisor.Field(Police).SelectOptionAsync(new SelectOptionValue { Label = "No" });
        for (var i = 0; i < 4; i++)
        {
            await advisor.RiskQuestion(i).GetByRole(AriaRole.Radio, new() { Name = "Yes", Exact = true }).CheckAsync();
        }

        await advisor.RiskQuestion(4).GetByRole(AriaRole.Radio, new() { Name = "No", Exact = true }).CheckAsync();
        await advisor.Answer(SafeToCallBack, "Yes").CheckAsync();
        await advisor.Field("Callback number").FillAsync(CallbackNumber);
        await advisor.ChooseAreaAsync("Leeds", "Leeds");
        await advisor.Check("Needs", "Safety planning").CheckAsync();
        await advisor.Check("Outcome", "Safety plan discussed").CheckAsync();
        await advisor.Field("Notes").FillAsync("Unwanted visits at work since March.");
        await advisor.UrgentToggle.ClickAsync();
        await Expect(advisor.UrgentToggle).ToHaveAttributeAsync("aria-pressed", "true");
        await advisor.SavedAsync();

        // The band on screen is the one the server worked out (four yes answers of weight 1: medium).
        var saved = await advisor.ServerRecordAsync(contactId);
        Assert.Equal("medium", saved.GetProperty("riskScreening").GetProperty("band").GetString());
        await Expect(advisor.RiskResult).ToHaveTextAsync("Screening result (worked out when saved): score 4, Medium risk.");
        AssertRecordHoldsWhatWasTyped(saved);

        // Without the tab's draft, everything on screen after the reload comes from the server.
        await advisor.Page.EvaluateAsync("() => sessionStorage.clear()");
        await advisor.Page.ReloadAsync();
        await advisor.ConnectedAsync();
        await advisor.RecordLoadedAsync();
        await advisor.SavedAsync();
        foreach (var four in new[] { Fixated, Obsessive, Unwanted, Repeated, IsStalking })
        {
            await Expect(advisor.Answer(four, "Yes")).ToBeCheckedAsync();
        }

        await Expect(advisor.Field(Relationship)).ToHaveValueAsync("exPartner");
        await Expect(advisor.Field(Police)).ToHaveValueAsync("no");
        for (var i = 0; i < 4; i++)
        {
            await Expect(advisor.RiskQuestion(i).GetByRole(AriaRole.Radio, new() { Name = "Yes", Exact = true })).ToBeCheckedAsync();
        }

        await Expect(advisor.RiskQuestion(4).GetByRole(AriaRole.Radio, new() { Name = "No", Exact = true })).ToBeCheckedAsync();
        await Expect(advisor.RiskQuestion(5).GetByRole(AriaRole.Radio, new() { Name = "Not answered", Exact = true })).ToBeCheckedAsync();
        await Expect(advisor.RiskResult).ToHaveTextAsync("Screening result (worked out when saved): score 4, Medium risk.");
        await Expect(advisor.Answer(SafeToCallBack, "Yes")).ToBeCheckedAsync();
        await Expect(advisor.Field("Callback number")).ToHaveValueAsync(CallbackNumber);
        await Expect(advisor.AreaChosen).ToContainTextAsync("Leeds (West Yorkshire Police)");
        await Expect(advisor.Check("Needs", "Safety planning")).ToBeCheckedAsync();
        await Expect(advisor.Check("Needs", "Information")).Not.ToBeCheckedAsync();
        await Expect(advisor.Check("Outcome", "Safety plan discussed")).ToBeCheckedAsync();
        await Expect(advisor.Field("Notes")).ToHaveValueAsync("Unwanted visits at work since March.");
        await Expect(advisor.UrgentToggle).ToHaveAttributeAsync("aria-pressed", "true");

        await advisor.Button("Complete call").ClickAsync();

        await Expect(advisor.WrapUp).ToBeVisibleAsync();
        await Expect(advisor.Contacts.GetByRole(AriaRole.Heading, new() { Name = "Call ended: finish the record" })).ToBeVisibleAsync();
        await Expect(advisor.WrapUpLeft).ToHaveTextAsync(AdvisorPage.Duration());
        await Expect(advisor.Status).ToHaveTextAsync("Wrap-up");
        await Expect(advisor.Notes).ToContainTextAsync("The call is complete.");
        await advisor.Check("Outcome", "Referred").CheckAsync();
        await advisor.SavedAsync();

        await advisor.Button("End wrap-up now").ClickAsync();

        await Expect(advisor.Status).ToHaveTextAsync("Available");
        await Expect(advisor.WrapUp).ToBeHiddenAsync();
        await Expect(advisor.Contacts).ToHaveCountAsync(0);
        await Expect(advisor.Idle).ToContainTextAsync("The next contact will ring here.");
        var final = await advisor.ServerRecordAsync(contactId);
        AssertRecordHoldsWhatWasTyped(final);
        Assert.Equal(["safetyPlanDiscussed", "referred"], final.GetProperty("outcomes").EnumerateArray().Select(o => o.GetString()));
    }

    private static void AssertRecordHoldsWhatWasTyped(JsonElement record)
    {
        foreach (var four in new[] { "fixated", "obsessive", "unwanted", "repeated" })
        {
            Assert.True(record.GetProperty("four").GetProperty(four).GetBoolean(), four);
        }

        Assert.True(record.GetProperty("isStalking").GetBoolean());
        Assert.Equal("exPartner", record.GetProperty("relationship").GetString());
        Assert.Equal("no", record.GetProperty("reportedToPolice").GetString());
        var risk = record.GetProperty("riskScreening");
        Assert.Equal(
            new Dictionary<string, bool> { ["q1"] = true, ["q2"] = true, ["q3"] = true, ["q4"] = true, ["q5"] = false },
            risk.GetProperty("answers").EnumerateObject().ToDictionary(a => a.Name, a => a.Value.GetBoolean()));
        Assert.Equal(4, risk.GetProperty("score").GetInt32());
        Assert.Equal("medium", risk.GetProperty("band").GetString());
        var safety = record.GetProperty("safety");
        Assert.True(safety.GetProperty("safeToCallBack").GetBoolean());
        Assert.Equal(CallbackNumber, safety.GetProperty("callbackNumber").GetString());
        Assert.Equal("E08000035", record.GetProperty("area").GetProperty("localAuthorityCode").GetString());
        Assert.Equal("E23000010", record.GetProperty("area").GetProperty("policeForceCode").GetString());
        Assert.Equal(["safetyPlanning"], record.GetProperty("needs").EnumerateArray().Select(n => n.GetString()));
        Assert.Contains("safetyPlanDiscussed", record.GetProperty("outcomes").EnumerateArray().Select(o => o.GetString()));
        Assert.Equal("Unwanted visits at work since March.", record.GetProperty("notes").GetString());
        Assert.True(record.GetProperty("urgent").GetBoolean());
    }

    [Fact]
    public async Task An_answer_the_server_refuses_is_marked_beside_its_field_and_not_saved_until_corrected()
    {
        var (advisor, _, contactId) = await OnACallAsync("checker");
        await advisor.Answer(SafeToCallBack, "Yes").CheckAsync();
        var number = advisor.Field("Callback number");

        await number.FillAsync("ring me at home");

        var error = await advisor.ErrorOfAsync(number);
        await Expect(error).ToBeVisibleAsync();
        await Expect(error).Not.ToBeEmptyAsync();
        await Expect(advisor.SaveState).ToHaveTextAsync("Not saved: check the answers marked below");
        Assert.Equal(JsonValueKind.Null, (await advisor.ServerRecordAsync(contactId)).GetProperty("safety").GetProperty("callbackNumber").ValueKind);

        await number.FillAsync(CallbackNumber);

        await advisor.SavedAsync();
        await Expect(number).Not.ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(error).ToBeHiddenAsync();
        Assert.Equal(CallbackNumber, (await advisor.ServerRecordAsync(contactId)).GetProperty("safety").GetProperty("callbackNumber").GetString());
    }

    [Fact]
    public async Task Nothing_typed_is_lost_offline_or_when_the_session_ends_and_nothing_saved_or_after_the_session_stays_in_storage()
    {
        var (advisor, name, contactId) = await OnACallAsync("expiry");
        var notes = advisor.Field("Notes");
        await notes.FillAsync("First part.");
        await advisor.SavedAsync();

        // Saved on the server: the tab keeps only a marker of the open record, nothing typed.
        var marker = Assert.Single(await advisor.StorageAsync());
        Assert.StartsWith("helpline.draft." + contactId, marker, StringComparison.Ordinal);
        Assert.DoesNotContain("First part.", marker, StringComparison.Ordinal);

        // A dropped connection: the save waits and goes once the browser is back online.
        await advisor.Page.Context.SetOfflineAsync(true);
        await AppendAsync(advisor, notes, " Typed offline.");
        await Expect(advisor.SaveState).ToHaveTextAsync("Not saved: no connection. Trying again…");
        await advisor.Page.Context.SetOfflineAsync(false);
        await advisor.SavedAsync();
        Assert.Equal("First part. Typed offline.", (await advisor.ServerRecordAsync(contactId)).GetProperty("notes").GetString());

        // The session ends (its cookie is gone): the next save gets 401 and the sign-in shows in place.
        await advisor.Page.Context.ClearCookiesAsync();
        await AppendAsync(advisor, notes, " Typed after the session ended.");
        await Expect(advisor.SignInForm).ToBeVisibleAsync();
        await Expect(advisor.SignInNote).ToContainTextAsync("Your session has ended.");
        await Expect(advisor.ConsoleView).ToBeHiddenAsync();
        // The unsaved change is kept in the page only: nothing typed is left in storage once the session has ended.
        Assert.DoesNotContain(await advisor.StorageAsync(), kept => kept.Contains("Typed", StringComparison.Ordinal) || kept.Contains("First part.", StringComparison.Ordinal));

        await advisor.SignInAgainAsync(name);

        await Expect(notes).ToHaveValueAsync("First part. Typed offline. Typed after the session ended.");
        await advisor.SavedAsync();
        Assert.Equal("First part. Typed offline. Typed after the session ended.", (await advisor.ServerRecordAsync(contactId)).GetProperty("notes").GetString());

        Assert.Contains(await advisor.StorageAsync(), kept => kept.StartsWith("helpline.draft.", StringComparison.Ordinal));
        Assert.DoesNotContain(await advisor.StorageAsync(), kept => kept.Contains("Typed", StringComparison.Ordinal));
        advisor.Page.Dialog += async (_, dialog) => await dialog.AcceptAsync(); // "You still have a contact open. Sign out anyway?"
        await advisor.Button("Sign out").ClickAsync();
        await Expect(advisor.SignInNote).ToHaveTextAsync("You have signed out.");
        Assert.Empty(await advisor.StorageAsync());
    }

    /// <summary>Types at the end of a text box, as an advisor adding to what is there.</summary>
    private static async Task AppendAsync(AdvisorPage advisor, ILocator box, string text)
    {
        await box.FocusAsync();
        await advisor.Page.Keyboard.PressAsync("Control+End");
        await advisor.Page.Keyboard.TypeAsync(text);
    }

    /// <summary>A new advisor signed in, Available, and on a call posted to Intake, its record loaded.</summary>
    private async Task<(AdvisorPage Advisor, string Name, Guid ContactId)> OnACallAsync(string prefix)
    {
        var (name, _) = await NewAdvisorAsync(prefix);
        var advisor = await NewPageAsync();
        await advisor.SignInAsync(name);
        await advisor.GoAvailableAsync();
        var contactId = await PostCallAsync();
        await advisor.Button("Accept call").ClickAsync();
        await Expect(advisor.Status).ToHaveTextAsync("On a contact");
        await advisor.RecordLoadedAsync();
        return (advisor, name, contactId);
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

        var contactId = await PostCallAsync();
        await Expect(advisor.Offers).ToHaveCountAsync(1);
        var firstOffer = await advisor.Offers.GetAttributeAsync("aria-labelledby");
        await keyboard.PressAsync("Alt+KeyD");

        await Expect(advisor.Notes).ToContainTextAsync("You declined the call.");
        await Expect(advisor.Offers).ToHaveCountAsync(1);
        Assert.NotEqual(firstOffer, await advisor.Offers.GetAttributeAsync("aria-labelledby"));
        await keyboard.PressAsync("Alt+KeyA");

        await Expect(advisor.Contacts.GetByRole(AriaRole.Heading, new() { Name = "On a call" })).ToBeVisibleAsync();
        await advisor.RecordLoadedAsync();
        await advisor.TabToAsync(advisor.Field(Relationship));
        await keyboard.PressAsync("ArrowDown");
        await Expect(advisor.Field(Relationship)).ToHaveValueAsync("exPartner");

        // Tab reaches a radio group at its checked radio ("Not answered"); the arrows move the answer.
        var firstRisk = advisor.RiskQuestion(0);
        await advisor.TabToAsync(firstRisk.GetByRole(AriaRole.Radio, new() { Name = "Not answered", Exact = true }));
        await keyboard.PressAsync("ArrowUp");
        await keyboard.PressAsync("ArrowUp");
        await Expect(firstRisk.GetByRole(AriaRole.Radio, new() { Name = "Yes", Exact = true })).ToBeCheckedAsync();

        await advisor.TabToAsync(advisor.AreaSearch);
        await keyboard.TypeAsync("Leeds");
        await Expect(advisor.AreaMatches).ToBeVisibleAsync();
        await Expect(advisor.AreaSearch).ToHaveAttributeAsync("aria-expanded", "true");
        await keyboard.PressAsync("ArrowDown");
        await Expect(advisor.AreaSearch).ToHaveAttributeAsync("aria-activedescendant", new Regex("-option-0$"));
        await keyboard.PressAsync("Enter");
        await Expect(advisor.AreaMatches).ToBeHiddenAsync();
        await Expect(advisor.AreaChosen).ToContainTextAsync("Leeds (West Yorkshire Police)");

        await advisor.TabToAsync(advisor.Field("Notes"));
        await keyboard.TypeAsync("Typed without a mouse.");
        await advisor.SavedAsync();
        var record = await advisor.ServerRecordAsync(contactId);
        Assert.Equal("exPartner", record.GetProperty("relationship").GetString());
        Assert.True(record.GetProperty("riskScreening").GetProperty("answers").GetProperty("q1").GetBoolean());
        Assert.Equal("E08000035", record.GetProperty("area").GetProperty("localAuthorityCode").GetString());
        Assert.Equal("Typed without a mouse.", record.GetProperty("notes").GetString());

        await advisor.TabToAsync(advisor.Button("Complete call"), backwards: true);
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
