using System.Net;
using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Xunit.Abstractions;

namespace Helpline.Browser.Tests;

public sealed class AccessTests(BrowserFixture fixture, ITestOutputHelper output) : ConsoleTest<BrowserFixture>(fixture), IClassFixture<BrowserFixture>
{
    /// <summary>Every rule; details only for violations (passes and inapplicable rules are not looked at).</summary>
    private static readonly AxeRunOptions Options = new() { ResultTypes = [ResultType.Violations] };

    private static string Describe(AxeResultItem violation) =>
        $"{violation.Impact} {violation.Id}: {violation.Help} at {string.Join(", ", violation.Nodes.Select(n => n.Target.ToString()))}";

    /// <summary>axe-core finds nothing serious or critical on the screen as it is now; anything lesser goes to the test output.</summary>
    private async Task AssertAccessibleAsync(AdvisorPage page, string screen)
    {
        var result = await page.Page.RunAxe(Options);
        foreach (var violation in result.Violations)
        {
            output.WriteLine($"axe on {screen}: {Describe(violation)}");
        }

        var blocking = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(blocking.Count == 0, $"axe on {screen}:\n" + string.Join("\n", blocking.Select(Describe)));
    }

    [Fact]
    public async Task Every_screen_passes_axe_without_serious_or_critical_violations()
    {
        var (name, _) = await NewAdvisorAsync("axe");
        var advisor = await NewPageAsync();
        await advisor.Page.GotoAsync("/");
        await Expect(advisor.SignInForm).ToBeVisibleAsync();
        await AssertAccessibleAsync(advisor, "sign-in");

        await advisor.Button("Sign in").ClickAsync();
        await Expect(advisor.Page.Locator("#username-error")).ToBeVisibleAsync();
        await AssertAccessibleAsync(advisor, "sign-in with errors");

        await advisor.SignInAsync(name);
        await advisor.GoAvailableAsync();
        await AssertAccessibleAsync(advisor, "console, idle");

        await PostCallAsync();
        await Expect(advisor.Offers).ToHaveCountAsync(1);
        await AssertAccessibleAsync(advisor, "ringing offer");

        await advisor.Button("Accept call").ClickAsync();
        await Expect(advisor.Contacts).ToHaveCountAsync(1);
        await AssertAccessibleAsync(advisor, "active call");

        // The record form with answers, a validation error beside a field, and the area list open.
        await advisor.RecordLoadedAsync();
        await advisor.Answer("Is it safe to call the caller back?", "Yes").CheckAsync();
        await advisor.Field("Callback number").FillAsync("not a number");
        await advisor.ErrorOfAsync(advisor.Field("Callback number"));
        await advisor.AreaSearch.FillAsync("Leeds");
        await Expect(advisor.AreaMatches).ToBeVisibleAsync();
        await advisor.AreaSearch.PressAsync("ArrowDown");
        await Expect(advisor.AreaSearch).ToHaveAttributeAsync("aria-activedescendant", new Regex("-option-0$"));
        await AssertAccessibleAsync(advisor, "active call, record with an error and the area list open");

        await advisor.Button("Complete call").ClickAsync();
        await Expect(advisor.WrapUp).ToBeVisibleAsync();
        await AssertAccessibleAsync(advisor, "wrap-up");
    }

    [Fact]
    public async Task Anonymous_visitors_get_the_sign_in_screen_and_every_API_answers_401_without_a_cookie()
    {
        var anonymous = await NewPageAsync();
        await anonymous.Page.GotoAsync("/");

        await Expect(anonymous.SignInForm).ToBeVisibleAsync();
        await Expect(anonymous.ConsoleView).ToBeHiddenAsync();
        foreach (var path in new[] { "/api/account/me", "/api/routing/queue", "/api/admin/users" })
        {
            Assert.Equal(401, await anonymous.Page.EvaluateAsync<int>("path => fetch(path).then(r => r.status)", path));
        }

        Assert.Equal(401, await anonymous.Page.EvaluateAsync<int>("() => fetch('/hubs/advisor/negotiate?negotiateVersion=1', { method: 'POST' }).then(r => r.status)"));
        using var cookieless = new HttpClient { BaseAddress = Fixture.Console };
        Assert.Equal(HttpStatusCode.Unauthorized, (await cookieless.GetAsync("/api/account/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await cookieless.PostAsync("/hubs/advisor/negotiate?negotiateVersion=1", null)).StatusCode);
    }

    [Fact]
    public async Task A_supervisor_signing_in_is_told_this_is_the_advisors_console_and_never_reaches_the_hub()
    {
        var supervisor = Fixture.UniqueName("sam");
        await Fixture.CreateUserAsync(supervisor, "Supervisor");
        var page = await NewPageAsync();
        var sockets = new List<string>();
        page.Page.WebSocket += (_, socket) => sockets.Add(socket.Url);
        await page.Page.GotoAsync("/");
        await page.Page.GetByLabel("User name").FillAsync(supervisor);
        await page.Page.GetByLabel("Password").FillAsync(Helpline.Testing.TestAccounts.Password);
        await page.Button("Sign in").ClickAsync();

        await Expect(page.Page.GetByText("which is not an advisor account")).ToBeVisibleAsync();
        await Expect(page.ConsoleView).ToBeHiddenAsync();
        Assert.Equal(403, await page.Page.EvaluateAsync<int>("() => fetch('/hubs/advisor/negotiate?negotiateVersion=1', { method: 'POST' }).then(r => r.status)"));
        Assert.Empty(sockets);

        await page.Button("Sign out").ClickAsync();
        await Expect(page.SignInForm).ToBeVisibleAsync();
        Assert.Equal(401, await page.Page.EvaluateAsync<int>("() => fetch('/api/account/me').then(r => r.status)"));
    }

    [Fact]
    public async Task An_advisor_is_refused_the_supervisors_and_admins_APIs_in_the_browser()
    {
        var (name, _) = await NewAdvisorAsync("nosy");
        var advisor = await NewPageAsync();
        await advisor.SignInAsync(name);

        Assert.Equal(403, await advisor.Page.EvaluateAsync<int>("() => fetch('/api/routing/queue').then(r => r.status)"));
        Assert.Equal(403, await advisor.Page.EvaluateAsync<int>("() => fetch('/api/admin/users').then(r => r.status)"));
    }
}
