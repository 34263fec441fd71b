using Microsoft.Playwright;
using WalletPasses.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace WalletPasses.Tests.Browser;

/// <summary>
/// The demo page previews both looks of the development template's pass, from the one pass.json: the poster generic
/// style iOS 27 shows and the store card earlier iOS shows (Apple, "Creating a poster generic pass", "Ensure backward
/// compatibility"), and both follow an event.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class DemoPosterPreviewTests(BrowserAppFixture fixture)
{
    [Fact]
    public async Task The_demo_previews_the_poster_and_the_store_card_with_the_same_data()
    {
        await using var browser = await Chromium.LaunchAsync();
        var page = await Chromium.NewPhonePageAsync(browser, fixture.App.BaseAddress);
        await page.SetViewportSizeAsync(1200, 1400);
        await page.GotoAsync("/api/demo");

        await page.GetByRole(AriaRole.Button, new() { Name = "Create demo member" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "iOS and watchOS 27: poster" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Earlier iOS: the store card, same data" })).ToBeVisibleAsync();
        await Expect(page.Locator("#poster-header")).ToHaveTextAsync("1,000");
        await Expect(page.Locator("#pass-points")).ToHaveTextAsync("1,000");
        await Expect(page.Locator("#poster-footer")).ToHaveTextAsync("Silver");
        await Expect(page.Locator("#pass-tier")).ToHaveTextAsync("Silver");
        await Expect(page.Locator("#poster-title")).ToHaveTextAsync(await page.Locator("#pass-member").TextContentAsync() ?? "");
        await Expect(page.Locator("#poster")).ToHaveCSSAsync("background-image", new System.Text.RegularExpressions.Regex("poster-artwork@2x\\.png"));
        await Expect(page.Locator("#poster-logo")).ToHaveAttributeAsync("src", "/api/demo/images/primary-logo@2x.png");
        var perks = page.GetByRole(AriaRole.Link, new() { Name = "View Membership Benefits" });
        await Expect(perks).ToHaveAttributeAsync("href", "https://northwind.example/rewards/perks");
        await Chromium.ScreenshotAsync(page, "demo-poster-and-store-card");

        await page.GetByRole(AriaRole.Button, new() { Name = "+250 points" }).ClickAsync();

        await Expect(page.Locator("#poster-header")).ToHaveTextAsync("1,250");
        await Expect(page.Locator("#pass-points")).ToHaveTextAsync("1,250");
    }
}
