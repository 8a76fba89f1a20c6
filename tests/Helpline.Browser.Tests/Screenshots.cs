using Helpline.Testing;

namespace Helpline.Browser.Tests;

/// <summary>
/// The screenshots in docs/screenshots come from the browser tests: with HELPLINE_UPDATE_SCREENSHOTS=1
/// the tests overwrite them; otherwise nothing is written.
/// </summary>
internal static class Screenshots
{
    public static async Task SaveAsync(IPage page, string fileName)
    {
        if (Environment.GetEnvironmentVariable("HELPLINE_UPDATE_SCREENSHOTS") != "1")
        {
            return;
        }

        ArgumentNullException.ThrowIfNull(page);
        await page.Mouse.MoveAsync(1, 790); // no hover highlight on the button just clicked
        await page.ScreenshotAsync(new() { Path = Path.Combine(TestServers.RepositoryRoot, "docs", "screenshots", fileName), FullPage = true });
    }
}
