using Microsoft.Playwright;

namespace WalletPasses.Tests.Infrastructure;

/// <summary>
/// Real headless Chromium (Debian's package, /usr/bin/chromium; ./test.sh installs it) driven by
/// Playwright. Playwright cannot download browsers here, so it is always given this executable.
/// </summary>
public static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";
    private static readonly Lazy<Task<IPlaywright>> Driver = new(Playwright.CreateAsync);

    public static string ScreenshotFolder { get; } = RepositoryPaths.Combine("test-artifacts", "screenshots");

    /// <summary>Launches a browser whose camera shows <paramref name="fakeVideoFile"/> (Chromium's test pattern when null).</summary>
    public static async Task<IBrowser> LaunchAsync(string? fakeVideoFile = null)
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"Chromium is not installed at {ExecutablePath}: run ./test.sh (it installs it) or 'apt-get install -y chromium'.");
        }

        List<string> args =
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
        ];
        if (fakeVideoFile is not null)
        {
            args.Add("--use-file-for-fake-video-capture=" + fakeVideoFile);
        }

        // Deadlines, not timings: generous enough for a loaded CI machine (the default is 5 s).
        Assertions.SetDefaultExpectTimeout(20_000);
        var playwright = await Driver.Value;
        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ExecutablePath, Headless = true, Args = args, Timeout = 60_000 });
    }

    /// <summary>A phone-sized page with an English locale (number formats in assertions) and camera permission.</summary>
    public static async Task<IPage> NewPhonePageAsync(IBrowser browser, Uri baseAddress)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.AbsoluteUri,
            Locale = "en-US",
            ViewportSize = new ViewportSize { Width = 412, Height = 915 },
            Permissions = ["camera"],
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(20_000);
        return page;
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true });
    }
}
