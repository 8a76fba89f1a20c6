using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Helpline.Testing;
using Xunit.Abstractions;

namespace Helpline.Browser.Tests;

/// <summary>The services matched to the caller, in the contact record, and the supervisors' services and unmet-need page, in Chromium.</summary>
public sealed class ServicesPanelTests(BrowserFixture fixture, ITestOutputHelper output) : ConsoleTest<BrowserFixture>(fixture), IClassFixture<BrowserFixture>
{
    private static readonly AxeRunOptions Options = new() { ResultTypes = [ResultType.Violations] };

    private async Task AssertAccessibleAsync(IPage page, string screen)
    {
        var result = await page.RunAxe(Options);
        foreach (var violation in result.Violations)
        {
            output.WriteLine($"axe on {screen}: {violation.Impact} {violation.Id}: {violation.Help}");
        }

        var blocking = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(blocking.Count == 0, $"axe on {screen}:\n" + string.Join("\n", blocking.Select(v => $"{v.Id}: {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target.ToString()))}")));
    }

    [Fact]
    public async Task The_matching_list_sits_in_the_record_and_follows_it_as_it_changes()
    {
        var (name, _) = await NewAdvisorAsync("services");
        var advisor = await NewPageAsync();
        await advisor.SignInAsync(name);
        await advisor.GoAvailableAsync();
        await PostCallAsync();
        await advisor.Button("Accept call").ClickAsync();
        await advisor.RecordLoadedAsync();
        var panel = advisor.Record.GetByRole(AriaRole.Region, new() { Name = "Services for this caller" });
        var matching = panel.GetByRole(AriaRole.List, new() { Name = "Matching services" });
        await Expect(panel.GetByRole(AriaRole.Status).First).ToContainTextAsync("No local");

        await advisor.Field("Relationship to the person stalking").SelectOptionAsync(new SelectOptionValue { Label = "Friend or acquaintance" });
        await advisor.ChooseAreaAsync("Brighton", "Brighton and Hove");
        await advisor.SavedAsync();

        var first = matching.GetByRole(AriaRole.Listitem).First;
        await Expect(first).ToContainTextAsync("Veritas Justice stalking advocacy");
        await Expect(first).ToContainTextAsync("Local");
        await Expect(first).ToContainTextAsync("01273 234773");
        await panel.GetByText("Services that do not match, and why").ClickAsync();
        var notMatching = panel.GetByRole(AriaRole.List, new() { Name = "Services that do not match" });
        await Expect(notMatching.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "National Domestic Abuse Helpline" })).ToContainTextAsync("only stalking by an ex-partner or a family member");
        await Expect(matching.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "Paladin National Stalking Advocacy Service" })).ToContainTextAsync("Check: high risk only: no risk screening recorded");
        await AssertAccessibleAsync(advisor.Page, "record with its matching services and the non-matches open");

        await first.GetByRole(AriaRole.Button, new() { Name = "Refer to Veritas Justice stalking advocacy" }).ClickAsync();
        var consent = panel.GetByRole(AriaRole.Group, new() { NameRegex = new Regex("^What has the caller agreed") });
        await Expect(consent.GetByRole(AriaRole.Checkbox, new() { Name = "Number to call back on" })).ToBeCheckedAsync();
        await AssertAccessibleAsync(advisor.Page, "consent to a referral");

        await advisor.Page.GetByRole(AriaRole.Button, new() { Name = "Clear area" }).ClickAsync();
        await advisor.ChooseAreaAsync("Carlisle", "Carlisle");
        await advisor.SavedAsync();
        await Expect(matching.GetByText("Veritas Justice stalking advocacy")).ToHaveCountAsync(0);
        await Expect(matching.GetByText("Local", new() { Exact = true })).ToHaveCountAsync(0);
        await Expect(panel.GetByRole(AriaRole.Status).First).ToContainTextAsync("No local");
        await Expect(matching.GetByRole(AriaRole.Listitem).First).ToContainTextAsync("National");
    }

    [Fact]
    public async Task Supervisors_see_open_referrals_and_the_unmet_need_chart_with_its_data_table()
    {
        var name = Fixture.UniqueName("supervisor");
        await Fixture.CreateUserAsync(name, "Supervisor");
        var page = (await NewPageAsync()).Page;

        await page.GotoAsync("/services.html");
        await page.GetByLabel("User name").FillAsync(name);
        await page.GetByLabel("Password").FillAsync(TestAccounts.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(page.Locator("#referrals-status")).ToContainTextAsync("open referral");
        var table = page.GetByRole(AriaRole.Table, new() { NameRegex = new Regex("^Unmet need by commissioning area") });
        await Expect(table.GetByRole(AriaRole.Rowheader, new() { Name = "Sussex", Exact = true })).ToBeVisibleAsync();
        await Expect(table.GetByRole(AriaRole.Row)).ToHaveCountAsync(1 + 44 + 1);
        await Expect(page.GetByRole(AriaRole.Img, new() { NameRegex = new Regex("^No eligible local service, by relationship") })).ToBeVisibleAsync();
        var link = table.GetByRole(AriaRole.Link, new() { Name = "No eligible local service", Exact = true });
        await Expect(link).ToHaveAttributeAsync("href", "#def-no-eligible-local-service");
        await Expect(page.Locator("#def-no-eligible-local-service")).ToHaveTextAsync("No eligible local service");
        await Expect(page.Locator("#unmet-csv")).ToHaveAttributeAsync("href", new Regex(@"^/api/reports/unmet-need\.csv\?period=\d{4}-\d{2}$"));

        await page.Locator("#unmet-sort").SelectOptionAsync(new SelectOptionValue { Label = "Area name" });
        await Expect(table.GetByRole(AriaRole.Row).Nth(1).GetByRole(AriaRole.Rowheader)).ToHaveTextAsync("Area not recorded");
        await AssertAccessibleAsync(page, "services and unmet need");

        await page.Locator("#unmet-period").FillAsync("next week");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Expect(page.Locator("#unmet-status")).ToContainTextAsync("Give period as");
    }
}
