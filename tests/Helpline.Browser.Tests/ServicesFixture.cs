using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Helpline.Testing;

namespace Helpline.Browser.Tests;

/// <summary>
/// Intake and Console on Kestrel (one <see cref="Slice"/>), shared by the tests of one class. Tests of
/// a class run one after another; each makes its own advisors and calls and hands them back to
/// <see cref="EndAsync"/>, so nothing left ringing or Available reaches the next test.
/// </summary>
public class ServicesFixture : IAsyncLifetime
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly IReadOnlyDictionary<string, string?> _settings;
    private int _names;

    public ServicesFixture()
        : this(new Dictionary<string, string?>())
    {
    }

    protected ServicesFixture(IReadOnlyDictionary<string, string?> settings) => _settings = settings;

    public Slice Slice { get; private set; } = null!;

    public Uri Console => Slice.Console!.Address;

    public Uri Intake => Slice.Intake!.Address;

    public virtual async Task InitializeAsync()
    {
        // Dead letters counted and reported every 2 s, so the supervisors' list shows one within a test.
        Slice = await Slice.CreateAsync(settings: _settings.Append(new("DeadLetters:PollInterval", "00:00:02")).ToDictionary());
        Slice.StartConsole().StartIntake();
    }

    public virtual async Task DisposeAsync() => await Slice.DisposeAsync();

    /// <summary>A user name no other test of this run has used.</summary>
    public string UniqueName(string prefix) => $"{prefix}-{Interlocked.Increment(ref _names)}";

    /// <summary>Creates an account with the roles through the admin API and returns its user id.</summary>
    public async Task<Guid> CreateUserAsync(string userName, params string[] roles)
    {
        using var client = await TestAccounts.ClientAsync(Console, await TestAccounts.EnsureUserAsync(Console, userName, roles));
        return (await client.GetFromJsonAsync<JsonElement>("/api/account/me")).GetProperty("userId").GetGuid();
    }

    /// <summary>Announces a call to Intake (provider-neutral API); returns its provider id and contact id.</summary>
    public async Task<(string ProviderCallId, Guid ContactId)> PostCallAsync()
    {
        var providerCallId = $"browser-{Guid.NewGuid():N}";
        return (providerCallId, await Slice.PostCallAsync(providerCallId));
    }

    /// <summary>The advisor's status as the router last recorded it (the supervisors' view, read as the admin).</summary>
    public async Task<string?> RoutingStatusAsync(Guid advisorId)
    {
        using var admin = await AdminAsync();
        var view = await admin.GetFromJsonAsync<JsonElement>("/api/routing/queue");
        return view.GetProperty("advisors").EnumerateArray()
            .Where(a => a.GetProperty("advisorId").GetGuid() == advisorId)
            .Select(a => a.GetProperty("status").GetString())
            .FirstOrDefault();
    }

    /// <summary>
    /// Cleans up after a test: its calls end (hung up, or ended if answered) and its advisors are
    /// disabled, which signs them out and sets them Offline, so the next test's calls ring only its own.
    /// </summary>
    public async Task EndAsync(IEnumerable<string> providerCallIds, IEnumerable<Guid> advisorIds)
    {
        ArgumentNullException.ThrowIfNull(providerCallIds);
        ArgumentNullException.ThrowIfNull(advisorIds);
        using var intake = await Slice.Intake!.CreateIntegrationClientAsync();
        foreach (var providerCallId in providerCallIds)
        {
            var hangup = await intake.PostAsJsonAsync($"/api/calls/{providerCallId}/hangup", new { });
            Assert.Equal(HttpStatusCode.OK, hangup.StatusCode);
        }

        using var admin = await AdminAsync();
        foreach (var advisorId in advisorIds)
        {
            var disable = await admin.PutAsJsonAsync($"/api/admin/users/{advisorId}", new { disabled = true });
            Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
        }
    }

    private async Task<HttpClient> AdminAsync() =>
        await TestAccounts.ClientAsync(Console, await TestAccounts.LoginAsync(Console, TestAccounts.AdminUserName));
}
