using System.Text.Json;
using System.Text.RegularExpressions;
using Helpline.Testing;

namespace Helpline.Browser.Tests;

/// <summary>The advisor console in one browser tab, found the way a user finds things: by role, label and text.</summary>
public sealed partial class AdvisorPage(IPage page)
{
    public IPage Page { get; } = page;

    public ILocator SignInForm => Page.Locator("#signin-form");

    public ILocator SignInNote => Page.Locator("#signin-note");

    public ILocator ConsoleView => Page.Locator("#console-view");

    public ILocator Status => Page.Locator("#status-pill");

    public ILocator Connection => Page.Locator("#connection");

    public ILocator Offers => Page.Locator("#offers article.offer");

    public ILocator OfferCountdown => Offers.First.GetByRole(AriaRole.Timer);

    public ILocator Contacts => Page.Locator("#contacts article.contact");

    public ILocator WrapUp => Page.Locator("#wrapup");

    public ILocator WrapUpLeft => Page.Locator("#wrapup-left");

    public ILocator Notes => Page.Locator("#notes");

    public ILocator Idle => Page.Locator("#idle");

    public ILocator Button(string name) => Page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    /// <summary>The contact record in the first contact card.</summary>
    public ILocator Record => Contacts.First.Locator("section.record");

    /// <summary>The record's save bar: "Saved", "Saving…", "Not saved yet", "Not saved: …".</summary>
    public ILocator SaveState => Record.Locator(".save-state");

    /// <summary>A yes/no question, group of checkboxes or section of the record, by its legend.</summary>
    public ILocator Question(string legend) => Record.GetByRole(AriaRole.Group, new() { Name = legend, Exact = true });

    /// <summary>One of the Yes / No / Not answered radios of a question.</summary>
    public ILocator Answer(string legend, string answer) => Question(legend).GetByRole(AriaRole.Radio, new() { Name = answer, Exact = true });

    /// <summary>The yes/no question at this position in the risk screening (its text comes from the server).</summary>
    public ILocator RiskQuestion(int index) => Question("Risk screening").GetByRole(AriaRole.Group).Nth(index);

    /// <summary>The score and band the server worked out at the last save.</summary>
    public ILocator RiskResult => Question("Risk screening").GetByRole(AriaRole.Status);

    /// <summary>A text box or select of the record, by its label.</summary>
    public ILocator Field(string label) => Record.GetByLabel(label, new() { Exact = true });

    /// <summary>A checkbox in a group (needs, outcome).</summary>
    public ILocator Check(string legend, string label) => Question(legend).GetByRole(AriaRole.Checkbox, new() { Name = label, Exact = true });

    public ILocator AreaSearch => Record.GetByRole(AriaRole.Combobox, new() { Name = "Caller's area", Exact = true });

    public ILocator AreaMatches => Record.GetByRole(AriaRole.Listbox, new() { Name = "Matching areas", Exact = true });

    public ILocator AreaChosen => Record.Locator(".area-chosen");

    public ILocator UrgentToggle => Record.Locator("button.urgent-toggle");

    /// <summary>
    /// Waits until the control is marked invalid and returns the message its aria-describedby points
    /// at, checked to sit in the same field as the control (beside it, not in a summary elsewhere).
    /// </summary>
    public async Task<ILocator> ErrorOfAsync(ILocator control)
    {
        ArgumentNullException.ThrowIfNull(control);
        await Expect(control).ToHaveAttributeAsync("aria-invalid", "true");
        var describedBy = (await control.GetAttributeAsync("aria-describedby"))?.Split(' ') ?? [];
        var errorId = Assert.Single(describedBy, id => id.EndsWith("-error", StringComparison.Ordinal));
        Assert.True(await control.EvaluateAsync<bool>("(control, id) => control.parentElement.contains(document.getElementById(id))", errorId));
        return Page.Locator($"[id='{errorId}']");
    }

    /// <summary>Waits until the record has loaded from the server (its form then shows the server's copy).</summary>
    public Task RecordLoadedAsync() => Expect(SaveState).Not.ToHaveAttributeAsync("data-state", "loading");

    /// <summary>Waits for the save bar to say everything is saved.</summary>
    public Task SavedAsync() => Expect(SaveState).ToHaveTextAsync("Saved");

    /// <summary>Searches the area combobox with the mouse and picks the match whose name starts with the text.</summary>
    public async Task ChooseAreaAsync(string search, string name)
    {
        await AreaSearch.FillAsync(search);
        await AreaMatches.GetByRole(AriaRole.Option).Filter(new() { HasTextRegex = new Regex($"^{Regex.Escape(name)} ") }).ClickAsync();
        await Expect(AreaChosen).ToContainTextAsync(name);
    }

    /// <summary>The record as the server holds it, read with this page's session cookie.</summary>
    public async Task<JsonElement> ServerRecordAsync(Guid contactId)
    {
        var response = await Page.APIRequest.GetAsync($"/api/contacts/{contactId}/record");
        Assert.Equal(200, response.Status);
        return (await response.JsonAsync())!.Value;
    }

    /// <summary>Opens the console and signs in with the mouse; waits until the hub is connected.</summary>
    public async Task SignInAsync(string userName)
    {
        await Page.GotoAsync("/");
        await Page.GetByLabel("User name").FillAsync(userName);
        await Page.GetByLabel("Password").FillAsync(TestAccounts.Password);
        await Button("Sign in").ClickAsync();
        await ConnectedAsync();
    }

    /// <summary>Waits for the hub connection and the status it resyncs on connecting.</summary>
    public async Task ConnectedAsync()
    {
        await Expect(Connection).ToHaveTextAsync("Connected");
        await Expect(Status).Not.ToHaveTextAsync("Not known yet");
    }

    public async Task GoAvailableAsync()
    {
        await Button("Available").ClickAsync();
        await Expect(Status).ToHaveTextAsync("Available");
    }

    /// <summary>Presses Tab (or Shift+Tab) until the element has focus (at most 60 times).</summary>
    public async Task TabToAsync(ILocator target, bool backwards = false)
    {
        ArgumentNullException.ThrowIfNull(target);
        for (var i = 0; i < 60; i++)
        {
            if (await target.EvaluateAsync<bool>("element => element === document.activeElement"))
            {
                return;
            }

            await Page.Keyboard.PressAsync(backwards ? "Shift+Tab" : "Tab");
        }

        Assert.Fail($"Tab never reached {target}; focus is on {await Page.EvaluateAsync<string>("() => document.activeElement?.outerHTML.slice(0, 120)")}");
    }

    /// <summary>Signs in again on the sign-in screen shown in place (no navigation), e.g. after the session ended.</summary>
    public async Task SignInAgainAsync(string userName)
    {
        await Expect(SignInForm).ToBeVisibleAsync();
        await Page.GetByLabel("User name").FillAsync(userName);
        await Page.GetByLabel("Password").FillAsync(TestAccounts.Password);
        await Button("Sign in").ClickAsync();
        await ConnectedAsync();
    }

    /// <summary>What the page keeps in localStorage and sessionStorage, as "key=value" lines.</summary>
    public Task<string[]> StorageAsync() =>
        Page.EvaluateAsync<string[]>("() => [localStorage, sessionStorage].flatMap(s => Object.keys(s).map(k => `${k}=${s.getItem(k)}`))");

    [GeneratedRegex(@"^\d{1,2}$")]
    public static partial Regex Seconds();

    [GeneratedRegex(@"^\d+:\d{2}$")]
    public static partial Regex Duration();
}
