using Microsoft.Playwright;
using WalletPasses.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace WalletPasses.Tests.Browser;

/// <summary>Redeeming on the staff page in headless Chromium: again and again, after a lost answer, without a secure context.</summary>
[Collection(BrowserTests.Name)]
public sealed class StaffRedemptionPageTests(BrowserAppFixture fixture)
{
    private const string Redemptions = "**/api/redemptions";

    [Fact]
    public async Task Points_can_be_requested_again_on_the_same_pass_and_on_the_next_customer_s()
    {
        var first = await StaffPage.EnrolAsync(fixture.App);
        var next = await StaffPage.EnrolAsync(fixture.App);
        await using var browser = await Chromium.LaunchAsync();
        var page = await StaffPage.OpenAsync(browser, fixture.App.BaseAddress);

        await StaffPage.CheckManuallyAsync(page, first);
        await RequestPointsAsync(page, 1000);
        await Expect(page.Locator("#action-message")).ToHaveTextAsync("Requested: 1,000 points. The balance changes when the loyalty system confirms.");

        // The same amount again is a new request, not a replay of the first: 1,000 of the 1,300 points are held.
        await RequestPointsAsync(page, 1000);
        await Expect(page.Locator("#action-message")).ToContainTextAsync("300 available");

        await StaffPage.CheckManuallyAsync(page, next);
        await Expect(page.Locator("#result-status")).ToHaveTextAsync("Valid");
        await RequestPointsAsync(page, 100);
        await Expect(page.Locator("#action-message")).ToHaveTextAsync("Requested: 100 points. The balance changes when the loyalty system confirms.");
    }

    [Fact]
    public async Task A_redemption_whose_answer_was_lost_is_not_redeemed_twice_when_tapped_again_even_after_a_reload()
    {
        var barcode = await StaffPage.EnrolAsync(fixture.App);
        await using var browser = await Chromium.LaunchAsync();
        var page = await StaffPage.OpenAsync(browser, fixture.App.BaseAddress);
        await StaffPage.CheckManuallyAsync(page, barcode);

        await RedeemFreeShippingAnswerLostAsync(page);
        await Chromium.ScreenshotAsync(page, "staff-redemption-answer-lost");

        await page.ReloadAsync();
        await StaffPage.CheckManuallyAsync(page, barcode);
        await FreeShipping(page).ClickAsync();
        await Expect(page.Locator("#action-message")).ToHaveTextAsync("Redeemed: Free shipping (by the earlier attempt: nothing was redeemed twice)");

        // Answered: the next tap is a new redemption of the unlimited perk.
        await FreeShipping(page).ClickAsync();
        await Expect(page.Locator("#action-message")).ToHaveTextAsync("Redeemed: Free shipping");
    }

    [Fact]
    public async Task A_retry_after_a_lost_answer_replays_when_the_pass_is_entered_by_the_code_under_the_qr_instead()
    {
        var (_, barcode, altText) = await StaffPage.EnrolWithAltTextAsync(fixture.App);
        await using var browser = await Chromium.LaunchAsync();
        var page = await StaffPage.OpenAsync(browser, fixture.App.BaseAddress);
        await StaffPage.CheckManuallyAsync(page, barcode); // what the camera reads from the QR code
        await RedeemFreeShippingAnswerLostAsync(page);

        // The camera gives up on the customer's cracked screen; staff type the code printed under the QR (Apple's
        // barcode altText) and tap again: the same pass and perk, so the same request, which the server replays.
        await StaffPage.CheckManuallyAsync(page, altText);
        await Expect(page.Locator("#result-status")).ToHaveTextAsync("Valid");
        await FreeShipping(page).ClickAsync();
        await Expect(page.Locator("#action-message")).ToHaveTextAsync("Redeemed: Free shipping (by the earlier attempt: nothing was redeemed twice)");
    }

    [Fact]
    public async Task A_key_left_pending_by_a_lost_answer_is_not_reused_for_a_redemption_minutes_later()
    {
        var barcode = await StaffPage.EnrolAsync(fixture.App);
        await using var browser = await Chromium.LaunchAsync();
        var page = await StaffPage.OpenAsync(browser, fixture.App.BaseAddress);
        await page.Clock.InstallAsync(); // Date.now() as the page sees it, moved on below; time flows as usual meanwhile
        await page.ReloadAsync();
        await StaffPage.CheckManuallyAsync(page, barcode);
        await RedeemFreeShippingAnswerLostAsync(page);

        // The customer left; the same perk for the same pass a quarter of an hour later is a new redemption, not a replay
        // of the lost one (which would redeem nothing and say "by the earlier attempt").
        await page.Clock.FastForwardAsync("15:00");
        await StaffPage.CheckManuallyAsync(page, barcode);
        await FreeShipping(page).ClickAsync();
        await Expect(page.Locator("#action-message")).ToHaveTextAsync("Redeemed: Free shipping");
    }

    [Fact]
    public async Task A_page_without_crypto_random_uuid_as_over_plain_http_on_a_lan_still_redeems()
    {
        var barcode = await StaffPage.EnrolAsync(fixture.App);
        await using var browser = await Chromium.LaunchAsync();
        var page = await StaffPage.OpenAsync(browser, fixture.App.BaseAddress);
        // Browsers offer randomUUID in secure contexts only; the test runs on localhost, which is one.
        await page.Context.AddInitScriptAsync("delete Crypto.prototype.randomUUID");
        await page.ReloadAsync();

        await StaffPage.CheckManuallyAsync(page, barcode);
        await page.Locator("#perks button[data-perk='birthday-drink']").ClickAsync();

        await Expect(page.Locator("#action-message")).ToHaveTextAsync("Redeemed: Free birthday drink");
    }

    /// <summary>Taps the free-shipping perk; the request reaches the server and is redeemed, its answer never reaches the phone.</summary>
    private static async Task RedeemFreeShippingAnswerLostAsync(IPage page)
    {
        await page.RouteAsync(Redemptions, async route =>
        {
            await route.FetchAsync();
            await route.AbortAsync("internetdisconnected");
        });
        await FreeShipping(page).ClickAsync();
        await Expect(page.Locator("#action-message")).ToHaveTextAsync(
            "No connection: it is not known whether this was redeemed. Tapping again is safe: it sends the same request, which is never redeemed twice.");
        await page.UnrouteAsync(Redemptions);
    }

    private static ILocator FreeShipping(IPage page) => page.Locator("#perks button[data-perk='free-shipping']");

    private static async Task RequestPointsAsync(IPage page, int points)
    {
        await page.Locator("#points-amount").FillAsync(points.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "Redeem points" }).ClickAsync();
    }
}
