using Microsoft.Playwright;
using WalletPasses.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace WalletPasses.Tests.Browser;

[Collection(BrowserTests.Name)]
public sealed class DemoPageTests(BrowserAppFixture fixture)
{
    [Fact]
    public async Task The_demo_creates_a_member_and_its_pass_preview_follows_a_points_event()
    {
        await using var browser = await Chromium.LaunchAsync();
        var page = await Chromium.NewPhonePageAsync(browser, fixture.App.BaseAddress);
        await page.SetViewportSizeAsync(1200, 1000);
        await page.GotoAsync("/api/demo");

        await page.GetByRole(AriaRole.Button, new() { Name = "Create demo member" }).ClickAsync();

        await Expect(page.Locator("#pass")).ToBeVisibleAsync();
        await Expect(page.Locator("#pass-points")).ToHaveTextAsync("1,000");
        await Expect(page.Locator("#pass-points-label")).ToHaveTextAsync("Points");
        await Expect(page.Locator("#pass-tier")).ToHaveTextAsync("Silver");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Add to Apple Wallet" })).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("^https://wallet\\.test/api/apple/passes/[0-9a-f]{32}\\?"));
        await Expect(page.Locator("#apple-qr")).ToHaveAttributeAsync("width", new System.Text.RegularExpressions.Regex("^[1-9][0-9]+$"));
        await Expect(page.Locator("#pass-barcode-text")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$")); // the short code under the QR
        await Chromium.ScreenshotAsync(page, "demo-member-created");

        await page.GetByRole(AriaRole.Button, new() { Name = "+250 points" }).ClickAsync();

        await Expect(page.Locator("#pass-points")).ToHaveTextAsync("1,250");
        await Chromium.ScreenshotAsync(page, "demo-after-points-event");

        await page.GetByRole(AriaRole.Button, new() { Name = "Next tier" }).ClickAsync();
        await Expect(page.Locator("#pass-tier")).ToHaveTextAsync("Gold");
        await page.GetByRole(AriaRole.Button, new() { Name = "Publish offer" }).ClickAsync();
        await Expect(page.Locator("#pass-offers li")).ToHaveCountAsync(1);
        await Chromium.ScreenshotAsync(page, "demo-after-tier-and-offer");
    }
}
