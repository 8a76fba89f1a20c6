using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Helpline.Testing;
using Xunit.Abstractions;

namespace Helpline.Browser.Tests;

/// <summary>The directory screen (directory.html) in Chromium: the advisors' search with the reasons, admins' editing and a service's history.</summary>
public sealed class DirectoryPageTests(BrowserFixture fixture, ITestOutputHelper output) : ConsoleTest<BrowserFixture>(fixture), IClassFixture<BrowserFixture>
{
    private static readonly AxeRunOptions Axe = new() { ResultTypes = [ResultType.Violations] };

    // Adur, a local authority in Sussex: for a search by the Sussex force the service is a "check", below Veritas Justice.
    private static readonly string[] Adur = ["E07000223"];

    private static readonly string[] Carried = ["name", "callbackNumber"];

    private async Task<(IPage Page, List<string> Problems)> DirectoryPageAsync(string name)
    {
        var page = await (await NewContextAsync()).NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            // Before anyone signs in the page asks who is (401), and the editor's refused save is a 400: the only errors a browser may log.
            if (message.Type == "error" && !Regex.IsMatch(message.Text, "status of (401|400)"))
            {
                problems.Add($"{message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => problems.Add(error);
        await page.GotoAsync("/directory.html");
        await page.GetByLabel("User name").FillAsync(name);
        await page.GetByLabel("Password").FillAsync(TestAccounts.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.Locator("#results-status")).ToContainTextAsync("service");
        return (page, problems);
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

    private static ILocator Service(IPage page, string name) =>
        page.GetByRole(AriaRole.List, new() { Name = "Services" }).GetByRole(AriaRole.Listitem).Filter(new() { Has = page.GetByRole(AriaRole.Heading, new() { NameRegex = new Regex($"^{Regex.Escape(name)}") }) });

    [Fact]
    public async Task An_advisor_searches_sussex_and_an_acquaintance_and_sees_veritas_justice_with_the_reasons_and_no_edit_control()
    {
        var (name, _) = await NewAdvisorAsync("dir");
        var (page, problems) = await DirectoryPageAsync(name);
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Pages" }).GetByRole(AriaRole.Link, new() { Name = "Advisor console" })).ToHaveAttributeAsync("href", "/");
        await AssertAccessibleAsync(page, "the whole directory");

        await page.GetByRole(AriaRole.Combobox, new() { Name = "Area" }).FillAsync("Sussex");
        await page.GetByRole(AriaRole.Listbox, new() { Name = "Matching areas" }).GetByRole(AriaRole.Option).Filter(new() { HasTextRegex = new Regex("^Sussex Police – police force") }).ClickAsync();
        await page.GetByLabel("Relationship to the stalker").SelectOptionAsync(new SelectOptionValue { Label = "Friend or acquaintance" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();

        await Expect(page.Locator("#results-status")).ToContainTextAsync("fit");
        var results = page.GetByRole(AriaRole.List, new() { Name = "Services" }).GetByRole(AriaRole.Listitem);
        await Expect(results.First).ToContainTextAsync("Veritas Justice stalking advocacy");
        var veritas = Service(page, "Veritas Justice stalking advocacy");
        await Expect(veritas).ToHaveAttributeAsync("data-outcome", "match");
        await Expect(veritas).ToContainTextAsync("Fits");
        await Expect(veritas).ToContainTextAsync("Local");
        await Expect(veritas).ToContainTextAsync("Any relationship to the stalker");
        await Expect(veritas).ToContainTextAsync("Phone: 01273 234773");
        await Expect(veritas).ToContainTextAsync("Accepting referrals");
        var domesticAbuse = Service(page, "National Domestic Abuse Helpline");
        await Expect(domesticAbuse).ToHaveAttributeAsync("data-outcome", "noMatch");
        await Expect(domesticAbuse).ToContainTextAsync("Does not fit: only stalking by an ex-partner or a family member");
        await Expect(Service(page, "Paladin National Stalking Advocacy Service")).ToContainTextAsync("May fit: check: high risk only: no risk screening recorded");

        await page.GetByLabel("Words").FillAsync("veritas");
        await page.GetByLabel("Words").PressAsync("Enter");
        await Expect(results).ToHaveCountAsync(1);

        await Expect(page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^(Edit|History)") })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "New service" })).ToBeHiddenAsync();
        await AssertAccessibleAsync(page, "search results with the reasons");

        var refused = await page.APIRequest.GetAsync("/api/directory/match?relationship=lodger");
        Assert.Equal(400, refused.Status);
        Assert.Contains("relationship", await refused.TextAsync(), StringComparison.Ordinal);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task An_admin_edits_a_service_sees_the_servers_error_beside_its_field_then_saves_and_the_history_shows_who_when_and_what()
    {
        var adminName = Fixture.UniqueName("diradmin");
        await Fixture.CreateUserAsync(adminName, "Admin");
        var id = $"browser-test-service-{Guid.NewGuid():N}"[..40];
        using (var admin = await TestAccounts.ClientAsync(Fixture.Console, await TestAccounts.LoginAsync(Fixture.Console, adminName)))
        {
            using var create = new HttpRequestMessage(HttpMethod.Put, $"/api/directory/services/{id}")
            {
                Content = JsonContent.Create(new { provider = "Test provider", name = "Browser test advocacy", areas = Adur, referralMethod = "phone", phone = "01632 960000", status = "accepting", hours = "Weekdays 9 to 5", referralFields = Carried }),
            };
            create.Headers.IfMatch.ParseAdd("\"0\"");
            using var created = await admin.SendAsync(create);
            Assert.True(created.StatusCode == HttpStatusCode.OK, await created.Content.ReadAsStringAsync());
        }

        var (page, problems) = await DirectoryPageAsync(adminName);
        await page.GetByLabel("Words").FillAsync("Browser test advocacy");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();
        await Expect(page.Locator("#results-status")).ToHaveTextAsync("1 service.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Edit Browser test advocacy" }).ClickAsync();

        var editor = page.Locator("#editor");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Edit Browser test advocacy" })).ToBeVisibleAsync();
        await Expect(editor.GetByLabel("Provider", new() { Exact = true })).ToBeFocusedAsync();
        await editor.GetByLabel("Referral method").SelectOptionAsync(new SelectOptionValue { Label = "Secure email" });
        await editor.GetByLabel("Secure referral email address").FillAsync("not an address");
        await editor.GetByRole(AriaRole.Button, new() { Name = "Save service" }).ClickAsync();

        var email = editor.GetByLabel("Secure referral email address");
        await Expect(email).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(email).ToBeFocusedAsync();
        await Expect(page.Locator("#edit-referralEmail-error")).ToHaveTextAsync("Give one email address, such as referrals@service.org.uk.");
        await Expect(email).ToHaveAttributeAsync("aria-describedby", new Regex("edit-referralEmail-error"));
        await Expect(page.Locator("#editor-problem")).ToContainTextAsync("not valid");
        await AssertAccessibleAsync(page, "the editor with a field error");

        await email.FillAsync("referrals@example.org");
        await editor.GetByLabel("Hours").FillAsync("Weekdays 10 to 4");
        await editor.GetByRole(AriaRole.Button, new() { Name = "Save service" }).ClickAsync();
        var saved = Service(page, "Browser test advocacy");
        await Expect(saved).ToContainTextAsync("Secure email: referrals@example.org");
        await Expect(saved).ToContainTextAsync("Weekdays 10 to 4");

        await page.GetByRole(AriaRole.Button, new() { Name = "History of Browser test advocacy" }).ClickAsync();
        var latest = page.Locator("#history-table tbody tr").First;
        await Expect(latest).ToHaveAttributeAsync("data-version", "2");
        await Expect(latest).ToContainTextAsync(adminName);
        await Expect(latest).ToContainTextAsync("Edited");
        await Expect(latest).ToContainTextAsync("hours: Weekdays 9 to 5 → Weekdays 10 to 4");
        await Expect(latest).ToContainTextAsync("referralEmail: (none) → referrals@example.org");
        await Expect(latest.Locator("td").First).ToContainTextAsync(DateTime.UtcNow.Year.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(page.Locator("#history-table tbody tr")).ToHaveCountAsync(2);
        await AssertAccessibleAsync(page, "a service's history");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
