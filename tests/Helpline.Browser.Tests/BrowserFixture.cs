namespace Helpline.Browser.Tests;

/// <summary>
/// The services plus one headless Chromium for the tests of a class (Debian's /usr/bin/chromium, driven by
/// Playwright; no browser is downloaded). Each test opens its own browser context: its own cookies and storage.
/// </summary>
public class BrowserFixture : ServicesFixture
{
    private IPlaywright? _playwright;

    public BrowserFixture()
    {
    }

    protected BrowserFixture(IReadOnlyDictionary<string, string?> settings)
        : base(settings)
    {
    }

    public IBrowser Browser { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        SetDefaultExpectTimeout((float)Timeout.TotalMilliseconds);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Environment.GetEnvironmentVariable("HELPLINE_TEST_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"],
        });
    }

    public override async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright?.Dispose();
        await base.DisposeAsync();
    }

    /// <summary>A fresh browser profile (cookies, storage) pointed at Console.</summary>
    public Task<IBrowserContext> NewContextAsync() =>
        Browser.NewContextAsync(new()
        {
            BaseURL = Console.ToString(),
            Locale = "en-GB",
            ViewportSize = new() { Width = 1280, Height = 800 },
        });
}

/// <summary>Offers ring for 6 seconds, so a test can watch one time out.</summary>
public sealed class ShortOfferFixture() : BrowserFixture(new Dictionary<string, string?> { ["Routing:OfferTimeout"] = "00:00:06" });
