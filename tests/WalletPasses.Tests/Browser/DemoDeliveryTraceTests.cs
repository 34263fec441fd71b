using System.Net;
using Microsoft.Playwright;
using WalletPasses.Tests.Apple;
using WalletPasses.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace WalletPasses.Tests.Browser;

/// <summary>
/// The demo page's live delivery trace in Chromium, with a simulated iPhone speaking Apple's PassKit web service
/// protocol to the same app (register, "which passes changed", fetch: Apple's "Wallet Passes Web Service Reference")
/// and the APNs emulator accepting the pushes.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class DemoDeliveryTraceTests(BrowserAppFixture fixture)
{
    private WalletPassesFactory Factory => fixture.App.Factory;

    /// <summary>Installs the demo member's pass from the page's Apple link, as Wallet does, and registers the device for it.</summary>
    private async Task<(SimulatedDevice Device, InstalledPass Pass)> InstallOnDeviceAsync(IPage page)
    {
        var link = new Uri(await page.GetByRole(AriaRole.Link, new() { Name = "Add to Apple Wallet" }).GetAttributeAsync("href") ?? "");
        using var customer = new HttpClient { BaseAddress = fixture.App.BaseAddress };
        var pass = new PkPass(await customer.GetByteArrayAsync(link.PathAndQuery.TrimStart('/')));

        // The pass names the public base URL (https://wallet.test); the device reaches the app under test instead.
        var webService = new Uri(pass.PassJson.GetProperty("webServiceURL").GetString()!);
        var installed = new InstalledPass(
            (await page.Locator("#member-id").TextContentAsync())!,
            pass.PassJson.GetProperty("serialNumber").GetString()!,
            pass.PassJson.GetProperty("passTypeIdentifier").GetString()!,
            pass.PassJson.GetProperty("authenticationToken").GetString()!,
            new Uri(fixture.App.BaseAddress, webService.AbsolutePath.TrimStart('/')).AbsoluteUri.TrimEnd('/'));
        var device = new SimulatedDevice(Factory);
        Assert.Equal(HttpStatusCode.Created, (await device.RegisterAsync(installed)).StatusCode);
        return (device, installed);
    }

    [Fact]
    public async Task A_device_moves_from_pushed_not_fetched_to_current_on_the_page_without_a_reload()
    {
        await using var browser = await Chromium.LaunchAsync();
        var page = await Chromium.NewPhonePageAsync(browser, fixture.App.BaseAddress);
        await page.SetViewportSizeAsync(1200, 1400);
        await page.GotoAsync("/api/demo");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create demo member" }).ClickAsync();
        await Expect(page.Locator("#pass")).ToBeVisibleAsync();
        var (device, pass) = await InstallOnDeviceAsync(page);
        var deviceState = page.Locator($"#delivery-devices tr[data-device='{device.Id}'] .state");
        await Expect(deviceState).ToHaveTextAsync("current"); // it installed the version it has
        await page.EvaluateAsync("() => { window.sameDocument = true; }");

        Factory.Time.Advance(TimeSpan.FromSeconds(2));
        await page.GetByRole(AriaRole.Button, new() { Name = "+250 points" }).ClickAsync();

        await Expect(page.Locator("#pass-points")).ToHaveTextAsync("1,250");
        await Expect(deviceState).ToHaveTextAsync("pushed-not-fetched");
        await Expect(page.Locator("#delivery-timeline li[data-kind='push']")).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"APNs push to device\.\w+… for version \d+: 200, pushed, apns-id \S+"));
        await Chromium.ScreenshotAsync(page, "demo-delivery-pushed");

        // Wallet on the device does what the push asks: which passes changed, then the pass.
        Assert.Equal([pass.SerialNumber], (await device.ListChangedAsync(pass)).SerialNumbers);
        Assert.Equal(HttpStatusCode.OK, (await device.FetchPassAsync(pass)).StatusCode);

        await Expect(deviceState).ToHaveTextAsync("current");
        await Expect(page.Locator("#delivery-timeline li[data-kind='list']")).ToHaveCountAsync(1);
        await Expect(page.Locator("#delivery-timeline li[data-kind='fetch']")).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"Pass fetched: 200, version \d+$"));
        Assert.True(await page.EvaluateAsync<bool>("() => window.sameDocument === true"), "the page was not reloaded");
        await Chromium.ScreenshotAsync(page, "demo-delivery-current");
    }
}
