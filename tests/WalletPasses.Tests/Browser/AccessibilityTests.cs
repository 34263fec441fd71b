using Microsoft.Playwright;
using WalletPasses.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace WalletPasses.Tests.Browser;

/// <summary>
/// axe-core over each page the app serves, in its main states, in real Chromium: a screen reader, keyboard or
/// low-vision user meets no serious or critical violation (see <see cref="Axe"/>).
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class AccessibilityTests(BrowserAppFixture fixture)
{
    [Fact]
    public async Task The_staff_page_has_no_serious_accessibility_violation_in_set_up_idle_valid_refused_or_offline()
    {
        var barcode = await StaffPage.EnrolAsync(fixture.App);
        await using var browser = await Chromium.LaunchAsync();
        var page = await Chromium.NewPhonePageAsync(browser, fixture.App.BaseAddress);
        var violations = new List<string>();
        async Task AuditAsync(string state) => violations.AddRange((await Axe.SeriousViolationsAsync(page)).Select(v => $"{state}: {v}"));

        await page.GotoAsync("/api/staff");
        await Expect(page.Locator("#setup")).ToBeVisibleAsync();
        await AuditAsync("set-up");

        page = await StaffPage.OpenAsync(browser, fixture.App.BaseAddress);
        await page.WaitForFunctionAsync("() => localStorage.getItem('walletpasses.staff.barcodeKeys') !== null");
        await AuditAsync("idle");

        await StaffPage.CheckManuallyAsync(page, barcode);
        await Expect(page.Locator("#result-status")).ToHaveTextAsync("Valid");
        await AuditAsync("valid pass");

        await StaffPage.CheckManuallyAsync(page, barcode[..^3] + "AAA");
        await Expect(page.Locator("#result-status")).ToHaveTextAsync("Not valid");
        await AuditAsync("refused pass");

        await page.Context.SetOfflineAsync(true);
        await StaffPage.CheckManuallyAsync(page, barcode);
        await Expect(page.Locator("#result-status")).ToHaveTextAsync("Signature valid - balance not checked");
        await AuditAsync("offline");

        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    // WAI-ARIA 1.2, "alert" role: a live region whose content changes is announced; screen readers announce changes
    // of a region already in the accessibility tree, not one shown together with its text (the result panel, hidden until
    // the first check). Staff who cannot see the colour or the screen hear the status and the reason.
    [Fact]
    public async Task Each_check_result_is_announced_through_an_alert_region_that_is_on_the_page_before_the_first_check()
    {
        var barcode = await StaffPage.EnrolAsync(fixture.App);
        await using var browser = await Chromium.LaunchAsync();
        var page = await StaffPage.OpenAsync(browser, fixture.App.BaseAddress);
        var announcement = page.GetByRole(AriaRole.Alert);
        await Expect(announcement).ToBeAttachedAsync();
        await Expect(announcement).ToHaveTextAsync("");

        await StaffPage.CheckManuallyAsync(page, barcode);
        await Expect(announcement).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^Valid\\. Gold member - Jane D\\. - 1,300 points - perks: "));

        await StaffPage.CheckManuallyAsync(page, barcode[..^3] + "AAA");
        await Expect(announcement).ToHaveTextAsync("Not valid. Forged barcode");
    }

    [Fact]
    public async Task The_demo_page_has_no_serious_accessibility_violation_before_or_after_a_member_is_created()
    {
        await using var browser = await Chromium.LaunchAsync();
        var page = await Chromium.NewPhonePageAsync(browser, fixture.App.BaseAddress);
        var violations = new List<string>();
        async Task AuditAsync(string state) => violations.AddRange((await Axe.SeriousViolationsAsync(page)).Select(v => $"{state}: {v}"));

        await page.GotoAsync("/api/demo");
        await AuditAsync("start");

        await page.GetByRole(AriaRole.Button, new() { Name = "Create demo member" }).ClickAsync();
        await Expect(page.Locator("#pass-points")).ToHaveTextAsync("1,000");
        await page.GetByRole(AriaRole.Button, new() { Name = "+250 points" }).ClickAsync();
        await Expect(page.Locator("#pass-points")).ToHaveTextAsync("1,250");
        await AuditAsync("member created");

        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }
}
