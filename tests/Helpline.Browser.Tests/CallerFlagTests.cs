using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Helpline.Testing;
using Xunit.Abstractions;

namespace Helpline.Browser.Tests;

/// <summary>Caller safety in the browser (docs/caller-safety.md): a flag raised on one call shows on the caller's later call.</summary>
public sealed class CallerFlagTests(BrowserFixture fixture, ITestOutputHelper output) : ConsoleTest<BrowserFixture>(fixture), IClassFixture<BrowserFixture>
{
    private const string Reason = "Asked us to confirm the victim's new address";
    private static readonly AxeRunOptions Axe = new() { ResultTypes = [ResultType.Violations] };

    [Fact]
    public async Task An_advisor_flags_a_caller_and_their_later_call_rings_flagged_without_earlier_history_then_a_supervisor_dismisses_it()
    {
        var (aliceName, _) = await NewAdvisorAsync("alice");
        var alice = await NewPageAsync();
        await alice.SignInAsync(aliceName);
        await alice.GoAvailableAsync();
        await PostCallAsync();
        await alice.Button("Accept call").ClickAsync();
        var safety = alice.Contacts.First.Locator(".caller-safety");
        await Expect(safety).ToHaveAttributeAsync("data-state", "none");
        await safety.GetByText("Flag this caller as a suspected perpetrator").ClickAsync();
        await safety.GetByRole(AriaRole.Button, new() { Name = "Flag caller", Exact = true }).ClickAsync();
        await Expect(safety.Locator(".field-error")).ToHaveTextAsync("Say why you suspect this caller.");
        await safety.GetByLabel("Why do you suspect this caller?").FillAsync(Reason);
        await AssertAccessibleAsync(alice.Page, "the flag form");
        await safety.GetByRole(AriaRole.Button, new() { Name = "Flag caller", Exact = true }).ClickAsync();
        await Expect(safety).ToHaveAttributeAsync("data-state", "flagged");
        await Expect(safety).ToContainTextAsync(Reason);

        var (bobName, _) = await NewAdvisorAsync("bob");
        var bob = await NewPageAsync();
        await bob.SignInAsync(bobName);
        await bob.GoAvailableAsync();
        await PostCallAsync();
        await Expect(bob.Offers).ToHaveCountAsync(1);
        await Expect(bob.Offers.Locator(".caller-flag")).ToContainTextAsync("Flagged caller: suspected perpetrator posing as a victim.");
        await Expect(bob.Offers.Locator(".caller-flag")).ToContainTextAsync(Reason);
        await AssertAccessibleAsync(bob.Page, "a flagged offer");
        await Screenshots.SaveAsync(bob.Page, "console-flagged-offer.png");

        await bob.Button("Accept call").ClickAsync();
        var card = bob.Contacts.First;
        await Expect(card.Locator(".caller-safety")).ToHaveAttributeAsync("data-state", "flagged");
        await Expect(card.Locator(".caller-safety")).ToContainTextAsync(Reason);
        await Expect(card.Locator(".repeat-caller")).ToHaveTextAsync("Earlier contacts are not shown: this caller is flagged.");
        await Expect(card.GetByText("Repeat caller")).ToHaveCountAsync(0);
        await AssertAccessibleAsync(bob.Page, "a flagged contact");

        var supervisorName = Fixture.UniqueName("sup");
        await Fixture.CreateUserAsync(supervisorName, "Supervisor");
        var supervisor = await (await NewContextAsync()).NewPageAsync();
        await supervisor.GotoAsync("/supervisor.html#flags");
        await supervisor.GetByLabel("User name").FillAsync(supervisorName);
        await supervisor.GetByLabel("Password").FillAsync(TestAccounts.Password);
        await supervisor.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        var review = supervisor.Locator("#flags-list li");
        await Expect(review).ToHaveCountAsync(1);
        await Expect(review).ToContainTextAsync(Reason);
        await Expect(review).ToContainTextAsync($"Awaiting review: raised by {aliceName}");
        await AssertAccessibleAsync(supervisor, "the caller flags review");
        await review.GetByRole(AriaRole.Button, new() { Name = "Dismiss flag", Exact = true }).ClickAsync();
        await Expect(review).ToHaveCountAsync(0);
        await Expect(supervisor.Locator("#flags-empty")).ToBeVisibleAsync();
    }

    private async Task AssertAccessibleAsync(IPage page, string screen)
    {
        var result = await page.RunAxe(Axe);
        foreach (var violation in result.Violations)
        {
            output.WriteLine($"axe on {screen}: {violation.Impact} {violation.Id}: {violation.Help}");
        }

        Assert.True(result.Violations.Length == 0, $"axe on {screen}: " + string.Join("; ", result.Violations.Select(v => $"{v.Id} at {string.Join(", ", v.Nodes.Select(n => n.Target.ToString()))}")));
    }
}
