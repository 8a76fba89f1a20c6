using Helpline.Console.Tests.Records;

namespace Helpline.Console.Tests.Email;

/// <summary>Every email endpoint refuses anonymous callers and the wrong roles; conversations only open to their advisor or a supervisor.</summary>
public sealed class EmailAccessTests(EmailAccessTests.Rig shared) : IClassFixture<EmailAccessTests.Rig>
{
    /// <summary>One Console for the refusal cases (they change nothing).</summary>
    public sealed class Rig : IAsyncLifetime
    {
        public ConsoleRig Console { get; private set; } = null!;

        public async Task InitializeAsync() => Console = await ConsoleRig.StartAsync();

        public async Task DisposeAsync() => await Console.DisposeAsync();
    }

    private static readonly Guid Some = Guid.NewGuid();

    public static TheoryData<string, string, string> Endpoints => new()
    {
        { "GET", $"/api/emails/{Some}", "Admin" },
        { "GET", $"/api/emails/{Some}/messages/{Some}/html", "Admin" },
        { "GET", $"/api/emails/{Some}/attachments/{Some}", "Admin" },
        { "PUT", $"/api/emails/{Some}/draft", "Supervisor" },
        { "POST", $"/api/emails/{Some}/replies", "Supervisor" },
        { "GET", "/api/email/templates", "Admin" },
        { "POST", "/api/admin/email-templates", "Advisor" },
        { "PUT", $"/api/admin/email-templates/{Some}", "Supervisor" },
        { "DELETE", $"/api/admin/email-templates/{Some}", "Advisor" },
        { "GET", "/api/supervisor/quarantine", "Advisor" },
        { "POST", $"/api/supervisor/quarantine/{Some}/release", "Advisor" },
        { "POST", $"/api/supervisor/quarantine/{Some}/discard", "Admin" },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Anonymous_and_wrong_role_callers_are_refused(string method, string path, string wrongRole)
    {
        var rig = shared.Console;
        using var anonymous = rig.Console.CreateHttpClient();
        using var wrong = await RecordKit.ClientForAsync(rig, $"wrong{wrongRole.ToLowerInvariant()}", wrongRole);

        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(anonymous, method, path)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(wrong, method, path)).StatusCode);
    }

    [Fact]
    public async Task Another_advisor_cannot_read_the_conversation_nor_download_its_attachment()
    {
        await using var rig = await ConsoleRig.StartAsync();
        var advisor = await rig.AvailableAdvisorAsync("alma");
        var (contactId, emailId, attachmentId) = await EmailConversationTests.EmailAsync(rig, "Private", "only for alma", "<p>x</p>");
        await RecordKit.AcceptAsync(advisor, contactId);
        using var other = await RecordKit.ClientForAsync(rig, "bert", "Advisor");
        using var supervisor = await RecordKit.ClientForAsync(rig, "sue", "Supervisor");

        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/emails/{contactId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/emails/{contactId}/messages/{emailId}/html")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/emails/{contactId}/attachments/{attachmentId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsJsonAsync($"/api/emails/{contactId}/replies", new { body = "no" })).StatusCode);
        await Eventually.WaitAsync(async () => (await supervisor.GetAsync($"/api/emails/{contactId}/attachments/{attachmentId}")).StatusCode, s => s == HttpStatusCode.OK, ConsoleRig.Timeout, "the supervisor's download");
        Assert.Equal(HttpStatusCode.Forbidden, (await supervisor.PostAsJsonAsync($"/api/emails/{contactId}/replies", new { body = "supervisors read, advisors reply" })).StatusCode);
    }

    [Fact]
    public async Task An_invalid_reply_or_template_is_a_400_problem_and_changes_nothing()
    {
        await using var rig = await ConsoleRig.StartAsync();
        var advisor = await rig.AvailableAdvisorAsync("ivy");
        var (contactId, _, _) = await EmailConversationTests.EmailAsync(rig, "Hello", "hello");
        await RecordKit.AcceptAsync(advisor, contactId);
        using var http = await RecordKit.ClientForAsync(rig, "ivy", "Advisor");
        using var admin = await TestAccounts.ClientAsync(rig.Console.Address, await TestAccounts.LoginAsync(rig.Console.Address, TestAccounts.AdminUserName));

        using var empty = await http.PostAsJsonAsync($"/api/emails/{contactId}/replies", new { body = "  " });
        using var template = await admin.PostAsJsonAsync("/api/admin/email-templates", new { name = "", body = "x" });

        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal("application/problem+json", empty.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, template.StatusCode);
        Assert.Equal(0, await rig.Database.CountAsync("SELECT count(*) FROM console.email_messages WHERE direction = 'Outbound'"));
        Assert.Equal(0, await rig.Database.CountAsync("SELECT count(*) FROM console.reply_templates"));

        using var created = await admin.PostAsJsonAsync("/api/admin/email-templates", new { name = "Police", body = "You can report stalking to the police on 101." });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("Police", (await http.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/email/templates"))[0].GetProperty("name").GetString());
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string path) =>
        client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = method is "GET" or "DELETE" ? null : JsonContent.Create(new { body = "x", name = "x" }) });
}
