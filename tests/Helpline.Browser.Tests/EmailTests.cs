using System.Collections.Concurrent;
using Helpline.Testing;
using MimeKit;

namespace Helpline.Browser.Tests;

/// <summary>Intake reading a Dovecot mailbox of its own, Console, and Chromium.</summary>
public sealed class MailFixture() : BrowserFixture(Mailbox.IntakeSettings())
{
    public static readonly TestMailbox Mailbox = TestMailbox.Create("browser");
}

/// <summary>
/// Hostile email opened in the advisor console: nothing in it runs, and the browser makes no request
/// anywhere but Console (counted at the network layer, for the page and its frames).
/// </summary>
public sealed class EmailTests(MailFixture fixture) : ConsoleTest<MailFixture>(fixture), IClassFixture<MailFixture>
{
    /// <summary>Every trick a sender might use to run script or make the advisor's browser fetch something.</summary>
    private const string HostileHtml = """
        <html><head>
        <meta http-equiv="refresh" content="0;url=https://evil.example/refresh">
        <base href="https://evil.example/">
        <link rel="stylesheet" href="https://evil.example/style.css">
        <style>@import url("https://evil.example/import.css"); @font-face { font-family: x; src: url("https://evil.example/font.woff"); } body { background: url("https://evil.example/bg.png"); }</style>
        <script>fetch("https://evil.example/script-ran"); alert("script ran");</script>
        </head>
        <body onload="fetch('https://evil.example/onload')">
        <p id="visible">Please help, he is outside again.</p>
        <img src="https://evil.example/pixel.gif" width="1" height="1">
        <img src="x" onerror="fetch('https://evil.example/onerror')">
        <img srcset="https://evil.example/srcset.png 1x">
        <div style="background-image: url('https://evil.example/div.png')">styled</div>
        <div style="width: expression(alert(1))">old IE</div>
        <a href="javascript:alert('link')">click me</a>
        <a href="https://evil.example/track">a tracked link</a>
        <iframe src="https://evil.example/frame"></iframe>
        <object data="https://evil.example/object"></object>
        <embed src="https://evil.example/embed">
        <video poster="https://evil.example/poster.png" src="https://evil.example/video.mp4"></video>
        <svg><script>alert("svg")</script><image href="https://evil.example/svg.png"/></svg>
        <form action="https://evil.example/form"><input name="q"><button>go</button></form>
        <table background="https://evil.example/table.png"><tr><td>cell</td></tr></table>
        </body></html>
        """;

    [Fact]
    public async Task A_hostile_email_shows_its_text_and_a_sanitised_frame_with_no_script_run_and_no_request_leaving_the_browser()
    {
        var (name, _) = await NewAdvisorAsync("hana");
        var context = await NewContextAsync();
        var console = new Uri(Fixture.Console.ToString());
        var requests = new ConcurrentQueue<string>();
        var dialogs = 0;
        context.Request += (_, request) => requests.Enqueue(request.Url);
        // Anything not for Console is counted above and then refused, so a leak could not even succeed.
        await context.RouteAsync(url => !url.StartsWith(console.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal), route => route.AbortAsync());
        var advisor = new AdvisorPage(await context.NewPageAsync());
        advisor.Page.Dialog += (_, dialog) =>
        {
            Interlocked.Increment(ref dialogs);
            _ = dialog.DismissAsync();
        };
        await advisor.SignInAsync(name);
        await advisor.GoAvailableAsync();

        var message = EmailCorpus.Message("writer@example.test", "Hostile formatting", "Please help, he is outside again.", HostileHtml);
        var withAttachment = new BodyBuilder { TextBody = "Please help, he is outside again.", HtmlBody = HostileHtml };
        withAttachment.Attachments.Add("evidence.html", "<script>alert('attachment')</script>"u8.ToArray(), new ContentType("text", "html"));
        message.Body = withAttachment.ToMessageBody();
        await MailFixture.Mailbox.AppendAsync(message);

        await Expect(advisor.Offers).ToHaveCountAsync(1);
        await advisor.Button("Accept email").ClickAsync();
        var conversation = advisor.Contacts.First.Locator("section.conversation");
        await Expect(conversation.Locator(".message-text")).ToHaveTextAsync("Please help, he is outside again.");
        await Expect(conversation.GetByRole(AriaRole.Link, new() { Name = "evidence.html" })).ToBeVisibleAsync();
        await Expect(conversation.Locator(".attachments li")).ToContainTextAsync("text/html");

        await conversation.GetByRole(AriaRole.Button, new() { Name = "Show formatted version" }).ClickAsync();
        var frame = advisor.Page.FrameLocator("section.conversation iframe");
        await Expect(frame.Locator("body")).ToContainTextAsync("Please help, he is outside again.");
        await Expect(advisor.Page.Locator("section.conversation iframe")).ToHaveAttributeAsync("sandbox", "");
        await Expect(frame.Locator("a", new() { HasText = "a tracked link" })).Not.ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("."));
        await Expect(frame.Locator("script")).ToHaveCountAsync(0);
        await Expect(frame.Locator("iframe, object, embed, form, link, meta[http-equiv]")).ToHaveCountAsync(0);
        await Screenshots.SaveAsync(advisor.Page, "console-email-conversation.png");

        // Give anything that could fire (a late image, a refresh) the time to try before counting.
        await advisor.Page.WaitForTimeoutAsync(1500);
        var outside = requests.Where(url => !url.StartsWith(console.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal)).ToList();
        Assert.Empty(outside);
        Assert.Equal(0, dialogs);
        var fromFrame = requests.Count(url => url.Contains("/messages/", StringComparison.Ordinal));
        Assert.Equal(1, fromFrame);
    }
}
