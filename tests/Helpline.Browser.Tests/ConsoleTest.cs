namespace Helpline.Browser.Tests;

/// <summary>
/// One test's advisors, calls and browser contexts, handed back at the end (calls hung up, advisors
/// disabled, contexts closed) so the next test of the class starts clean.
/// </summary>
public abstract class ConsoleTest<TFixture>(TFixture fixture) : IAsyncLifetime
    where TFixture : BrowserFixture
{
    private readonly List<string> _calls = [];
    private readonly List<Guid> _advisors = [];
    private readonly List<IBrowserContext> _contexts = [];

    protected TFixture Fixture { get; } = fixture;

    /// <summary>Creates an advisor account; returns its (unique) user name and id.</summary>
    protected async Task<(string Name, Guid Id)> NewAdvisorAsync(string prefix)
    {
        var name = Fixture.UniqueName(prefix);
        var id = await Fixture.CreateUserAsync(name, "Advisor");
        _advisors.Add(id);
        return (name, id);
    }

    protected async Task<Guid> PostCallAsync()
    {
        var (providerCallId, contactId) = await Fixture.PostCallAsync();
        _calls.Add(providerCallId);
        return contactId;
    }

    protected async Task<IBrowserContext> NewContextAsync()
    {
        var context = await Fixture.NewContextAsync();
        _contexts.Add(context);
        return context;
    }

    /// <summary>A new browser profile with one tab on the console.</summary>
    protected async Task<AdvisorPage> NewPageAsync() => new(await (await NewContextAsync()).NewPageAsync());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.CloseAsync();
        }

        await Fixture.EndAsync(_calls, _advisors);
    }
}
