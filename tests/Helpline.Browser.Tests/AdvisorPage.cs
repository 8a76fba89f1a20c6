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

    /// <summary>Presses Tab until the element has focus (at most 40 times).</summary>
    public async Task TabToAsync(ILocator target)
    {
        ArgumentNullException.ThrowIfNull(target);
        for (var i = 0; i < 40; i++)
        {
            if (await target.EvaluateAsync<bool>("element => element === document.activeElement"))
            {
                return;
            }

            await Page.Keyboard.PressAsync("Tab");
        }

        Assert.Fail($"Tab never reached {target}; focus is on {await Page.EvaluateAsync<string>("() => document.activeElement?.outerHTML.slice(0, 120)")}");
    }

    /// <summary>What the page keeps in localStorage and sessionStorage, as "key=value" lines.</summary>
    public Task<string[]> StorageAsync() =>
        Page.EvaluateAsync<string[]>("() => [localStorage, sessionStorage].flatMap(s => Object.keys(s).map(k => `${k}=${s.getItem(k)}`))");

    [GeneratedRegex(@"^\d{1,2}$")]
    public static partial Regex Seconds();

    [GeneratedRegex(@"^\d+:\d{2}$")]
    public static partial Regex Duration();
}
