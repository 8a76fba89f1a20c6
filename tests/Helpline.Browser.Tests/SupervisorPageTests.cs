using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Helpline.Testing;
using Xunit.Abstractions;

namespace Helpline.Browser.Tests;

/// <summary>The supervisors' page in Chromium: the live dashboard, the reports' charts and the staffing calculator.</summary>
public sealed class SupervisorPageTests(BrowserFixture fixture, ITestOutputHelper output) : ConsoleTest<BrowserFixture>(fixture), IClassFixture<BrowserFixture>
{
    private static readonly AxeRunOptions Axe = new() { ResultTypes = [ResultType.Violations] };

    private async Task<(IPage Page, List<string> Problems)> SupervisorPageAsync()
    {
        var name = Fixture.UniqueName("sup");
        await Fixture.CreateUserAsync(name, "Supervisor");
        var page = await (await NewContextAsync()).NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            // The page asks who is signed in before anyone is (401): the only error a browser may log.
            if (message.Type == "error" && !message.Location.StartsWith(new Uri(Fixture.Console, "/api/account/me").ToString(), StringComparison.Ordinal))
            {
                problems.Add($"{message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => problems.Add(error);
        await page.GotoAsync("/supervisor.html");
        await page.GetByLabel("User name").FillAsync(name);
        await page.GetByLabel("Password").FillAsync(TestAccounts.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.Locator("#connection")).ToHaveTextAsync("Live");
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

    [Fact]
    public async Task The_live_dashboard_shows_a_call_ringing_then_answered_and_a_supervisor_puts_the_advisor_on_break()
    {
        var (supervisor, problems) = await SupervisorPageAsync();
        var (name, _) = await NewAdvisorAsync("adv");
        var advisor = await NewPageAsync();
        await advisor.SignInAsync(name);
        await advisor.GoAvailableAsync();
        var advisors = supervisor.Locator("#advisors-body tr", new() { HasText = name });
        await Expect(advisors).ToContainTextAsync("Available");
        await AssertAccessibleAsync(supervisor, "live, idle");

        await PostCallAsync();
        await Expect(supervisor.Locator("#calls-body")).ToContainTextAsync("Ringing");
        await Expect(supervisor.Locator("#calls-body")).ToContainTextAsync(name);
        await Expect(advisors).ToContainTextAsync("Ringing");
        await Screenshots.SaveAsync(supervisor, "supervisor-live.png");
        await AssertAccessibleAsync(supervisor, "live, a call ringing");

        await advisor.Button("Accept call").ClickAsync();
        await Expect(advisors).ToContainTextAsync("On a contact");
        await Expect(supervisor.Locator("#calls-empty")).ToBeVisibleAsync();
        await Expect(supervisor.Locator("#today")).ToContainTextAsync("Answered1");

        await advisors.GetByRole(AriaRole.Button, new() { Name = $"Put on break: {name}" }).ClickAsync();
        await Expect(supervisor.Locator("#notes")).ToContainTextAsync("on break");
        await Expect(advisors).ToContainTextAsync("Break after this contact");
        await advisor.Button("Complete call").ClickAsync();
        await advisor.Button("End wrap-up now").ClickAsync();
        await Expect(advisor.Status).ToHaveTextAsync("Break");
        await Expect(advisors).ToContainTextAsync("Break (lunch)");
        await advisors.GetByRole(AriaRole.Button, new() { Name = $"Back to Available: {name}" }).ClickAsync();
        await Expect(advisor.Status).ToHaveTextAsync("Available");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task An_urgent_flag_is_acknowledged_and_leaves_the_dashboard_of_a_second_supervisor_too()
    {
        var (first, problems) = await SupervisorPageAsync();
        var (second, _) = await SupervisorPageAsync();
        var (name, _) = await NewAdvisorAsync("adv");
        var advisor = await NewPageAsync();
        await advisor.SignInAsync(name);
        await advisor.GoAvailableAsync();
        var contactId = await PostCallAsync();
        await advisor.Button("Accept call").ClickAsync();
        await advisor.UrgentToggle.ClickAsync();
        await Expect(advisor.UrgentToggle).ToHaveAttributeAsync("aria-pressed", "true");
        await advisor.SavedAsync();

        var contact = contactId.ToString()[..8];
        var flag = first.Locator("#urgent-list li", new() { HasText = contact });
        await Expect(flag).ToContainTextAsync("marked urgent");
        await Expect(second.Locator("#urgent-list li", new() { HasText = contact })).ToBeVisibleAsync();
        await AssertAccessibleAsync(first, "live, an urgent flag");

        await flag.GetByRole(AriaRole.Button, new() { Name = $"Acknowledge the urgent flag on contact {contact}" }).ClickAsync();
        await Expect(first.Locator("#notes")).ToContainTextAsync("acknowledged");
        await Expect(flag).ToHaveCountAsync(0);
        await Expect(second.Locator("#urgent-list li", new() { HasText = contact })).ToHaveCountAsync(0);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task A_dead_letter_is_listed_on_the_live_dashboard_with_its_service_and_place()
    {
        var (supervisor, problems) = await SupervisorPageAsync();
        await Expect(supervisor.Locator("#dead-letters-status")).ToContainTextAsync("Counted by");

        // A hang-up for a contact Console never received cannot succeed: it is dead-lettered in routing_error.
        var bus = (MassTransit.IBus)Fixture.Slice.Console!.Services.GetService(typeof(MassTransit.IBus))!;
        await bus.Publish(new Helpline.Contracts.CallerHungUp { ContactId = Guid.NewGuid(), At = DateTimeOffset.UtcNow });
        var row = supervisor.Locator("#dead-letters-body tr", new() { HasText = "routing_error" });
        await Eventually.WaitAsync(
            async () =>
            {
                await supervisor.GetByRole(AriaRole.Button, new() { Name = "Refresh dead letters" }).ClickAsync();
                return await row.CountAsync();
            },
            count => count == 1,
            TimeSpan.FromSeconds(60),
            "the dead letter listed");

        await Expect(row).ToContainTextAsync("Console");
        await Expect(supervisor.Locator("#dead-letters-status")).ToContainTextAsync("message(s) held");
        await AssertAccessibleAsync(supervisor, "live, a dead letter listed");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task Reports_draw_every_chart_with_its_table_and_summary_under_the_content_security_policy()
    {
        var (supervisor, problems) = await SupervisorPageAsync();
        await PostCallAsync();
        await supervisor.GetByRole(AriaRole.Link, new() { Name = "Reports" }).ClickAsync();
        await supervisor.GetByLabel("Interval").SelectOptionAsync("60m");
        await supervisor.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();

        var charts = supervisor.Locator("figure.chart");
        await Expect(charts).ToHaveCountAsync(4);
        foreach (var id in new[] { "chart-demand", "chart-unanswered", "chart-heatmap", "chart-callers" })
        {
            var figure = supervisor.Locator($"#{id}");
            await Expect(figure.Locator("canvas[role=img]")).ToHaveAttributeAsync("aria-labelledby", $"{id}-caption");
            await Expect(figure.Locator(".chart-summary")).Not.ToBeEmptyAsync();
            await Expect(figure.Locator("table tbody tr").First).ToBeAttachedAsync();
            Assert.True(await figure.Locator("canvas").EvaluateAsync<bool>("c => c.width > 0 && c.height > 0"), $"{id} drew nothing");
        }

        await Expect(supervisor.Locator("#report-summary")).ToContainTextAsync("Calls received");
        await Expect(supervisor.Locator("#report-csv")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("^/api/reports/intervals\\.csv\\?"));
        await supervisor.Locator("#chart-demand details summary").ClickAsync();
        await Screenshots.SaveAsync(supervisor, "supervisor-reports.png");
        await AssertAccessibleAsync(supervisor, "reports");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task The_staffing_calculator_gives_both_estimates_with_a_table()
    {
        var (supervisor, problems) = await SupervisorPageAsync();
        await supervisor.GetByRole(AriaRole.Link, new() { Name = "Staffing" }).ClickAsync();
        await supervisor.GetByLabel("Calls an hour").FillAsync("200");
        await supervisor.GetByLabel("Handle time, minutes (talk + wrap-up)").FillAsync("3");
        await supervisor.GetByRole(AriaRole.Button, new() { Name = "Estimate", Exact = true }).ClickAsync();

        await Expect(supervisor.Locator("#chart-whatif .chart-summary")).ToContainTextAsync("about 14 advisors on the phones, 20 to schedule");
        await Expect(supervisor.Locator("#chart-whatif table tbody tr").First).ToBeAttachedAsync();
        await supervisor.GetByRole(AriaRole.Button, new() { Name = "Estimate for the report's range" }).ClickAsync();
        await Expect(supervisor.Locator("#chart-needed")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(supervisor, "supervisor-staffing.png");
        await AssertAccessibleAsync(supervisor, "staffing");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task An_advisor_is_told_the_page_is_for_supervisors()
    {
        var (name, _) = await NewAdvisorAsync("notsup");
        var page = await (await NewContextAsync()).NewPageAsync();
        await page.GotoAsync("/supervisor.html");
        await page.GetByLabel("User name").FillAsync(name);
        await page.GetByLabel("Password").FillAsync(TestAccounts.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(page.Locator("#not-advisor")).ToContainTextAsync("not a supervisor account");
        await Expect(page.Locator("#console-view")).ToBeHiddenAsync();
    }
}
