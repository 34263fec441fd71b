using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using WalletPasses.Tests.Infrastructure;
using WalletPasses.Tests.Popups;
using static Microsoft.Playwright.Assertions;

namespace WalletPasses.Tests.Browser;

/// <summary>The staff page in headless Chromium when a check is refused, a pop-up ends meanwhile, or the key is forgotten.</summary>
[Collection(BrowserTests.Name)]
public sealed partial class StaffPageRefusalTests(BrowserAppFixture fixture)
{
    [Fact]
    public async Task A_refused_check_clears_the_previous_customer_and_says_why()
    {
        var barcode = await StaffPage.EnrolAsync(fixture.App);
        await using var browser = await Chromium.LaunchAsync();
        var page = await StaffPage.OpenAsync(browser, fixture.App.BaseAddress);
        (int Status, string ContentType, string Body, string Shown)[] refusals =
        [
            (502, "text/html", "<html><body>Bad Gateway</body></html>", "The server did not answer properly (502). Check the pass again."),
            (429, "application/problem+json", """{"title": "Too many requests", "detail": "This staff key has made too many requests."}""", "Too many requests from this device; try again in 7 seconds. Check the pass again."),
            (400, "application/problem+json", """{"title": "One or more validation errors occurred.", "errors": {"barcode": ["barcode (the scanned text) is required."]}}""", "barcode (the scanned text) is required. Check the pass again."),
        ];

        foreach (var (status, contentType, body, shown) in refusals)
        {
            await StaffPage.CheckManuallyAsync(page, barcode);
            await Expect(page.Locator("#result-status")).ToHaveTextAsync("Valid");
            await Expect(page.Locator("#perks button")).ToHaveCountAsync(3);

            await page.RouteAsync("**/api/validations", route => route.FulfillAsync(new()
            {
                Status = status,
                ContentType = contentType,
                Body = body,
                Headers = new Dictionary<string, string> { ["Retry-After"] = "7" },
            }));
            await StaffPage.CheckManuallyAsync(page, barcode);

            await Expect(page.Locator("#result")).ToHaveClassAsync(BadResult());
            await Expect(page.Locator("#result-status")).ToHaveTextAsync("Not checked");
            await Expect(page.Locator("#result-summary")).ToHaveTextAsync(shown);
            await Expect(page.Locator("#perks button")).ToHaveCountAsync(0);
            await Expect(page.Locator("#points-form")).ToBeHiddenAsync();
            await page.UnrouteAsync("**/api/validations");
        }

        await Chromium.ScreenshotAsync(page, "staff-check-refused");
    }

    [Fact]
    public async Task A_pop_up_removed_while_the_page_is_open_is_cleared_and_the_scan_still_checks_the_pass()
    {
        using var backend = StaffPage.Backend(fixture.App);
        // For platinum members only: the gold passes other browser tests use do not change.
        var created = await backend.PostAsync("/api/popups", TestMembers.Json(PopupApp.PopupJson(fixture.App.Factory.Time.GetUtcNow().AddHours(-1), tiers: """["platinum"]""", name: "Ends soon")));
        created.EnsureSuccessStatusCode();
        var popupId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var barcode = await StaffPage.EnrolAsync(fixture.App);
        await using var browser = await Chromium.LaunchAsync();
        var page = await StaffPage.OpenAsync(browser, fixture.App.BaseAddress);
        await page.Locator("#popup").SelectOptionAsync(popupId);

        (await backend.DeleteAsync($"/api/popups/{popupId}")).EnsureSuccessStatusCode();
        await StaffPage.CheckManuallyAsync(page, barcode);

        await Expect(page.Locator("#result-status")).ToHaveTextAsync("Valid");
        await Expect(page.Locator("#action-message")).ToContainTextAsync("has ended or was removed");
        await Expect(page.Locator("#popup")).ToHaveValueAsync("");
        await Expect(page.Locator($"#popup option[value='{popupId}']")).ToHaveCountAsync(0);
        await Chromium.ScreenshotAsync(page, "staff-popup-removed");

        await StaffPage.CheckManuallyAsync(page, barcode); // the next scan is as any other
        await Expect(page.Locator("#result-status")).ToHaveTextAsync("Valid");
        await Expect(page.Locator("#action-message")).ToHaveTextAsync("");
    }

    [Fact]
    public async Task Forget_key_signs_the_device_out()
    {
        await using var browser = await Chromium.LaunchAsync();
        var page = await StaffPage.OpenAsync(browser, fixture.App.BaseAddress);

        await page.GetByRole(AriaRole.Button, new() { Name = "Settings" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Forget key" }).ClickAsync();

        await Expect(page.Locator("#setup")).ToBeVisibleAsync();
        await Expect(page.Locator("#scanner")).ToBeHiddenAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Forget key" })).ToBeHiddenAsync();
        await page.ReloadAsync();
        await Expect(page.Locator("#setup")).ToBeVisibleAsync();
        await Expect(page.Locator("#setup-error")).ToHaveTextAsync("");
        Assert.Null(await page.EvaluateAsync<string?>("() => localStorage.getItem('walletpasses.staff.key')"));
    }

    [GeneratedRegex(@"\bbad\b")]
    private static partial Regex BadResult();
}
