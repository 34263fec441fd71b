using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WalletPasses.Barcodes;
using WalletPasses.Tests.Barcodes;
using WalletPasses.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace WalletPasses.Tests.Browser;

/// <summary>The staff page in real headless Chromium, against the app over real HTTP.</summary>
[Collection(BrowserTests.Name)]
public sealed partial class StaffPageTests(BrowserAppFixture fixture)
{
    private const string Summary = "Gold member - Jane D. - 1,300 points - perks: Free shipping, Early access to new releases, Free birthday drink";

    [Fact]
    public async Task The_camera_scans_a_pass_qr_code_and_shows_the_green_result_and_a_perk_can_be_redeemed()
    {
        var barcode = await EnrolAsync();
        var video = FakeCamera.WriteQrVideo(barcode, Path.Combine(TestCertificates.NewFolder(), "pass-qr.y4m"));
        await using var browser = await Chromium.LaunchAsync(video);
        var page = await OpenStaffPageAsync(browser);

        await page.GetByRole(AriaRole.Button, new() { Name = "Start camera" }).ClickAsync();

        var result = page.Locator("#result");
        await Expect(result).ToHaveClassAsync(OkResult());
        await Expect(page.Locator("#result-status")).ToHaveTextAsync("Valid");
        await Expect(page.Locator("#result-summary")).ToHaveTextAsync(Summary);
        await Chromium.ScreenshotAsync(page, "staff-camera-scan-valid");

        var birthday = page.Locator("#perks button[data-perk='birthday-drink']");
        await birthday.ClickAsync();
        await Expect(page.Locator("#action-message")).ToHaveTextAsync("Redeemed: Free birthday drink");
        await Expect(birthday).ToBeDisabledAsync();
        await Chromium.ScreenshotAsync(page, "staff-perk-redeemed");
    }

    [Fact]
    public async Task Manual_entry_checks_a_code_and_shows_red_with_the_reason_for_a_bad_one()
    {
        var barcode = await EnrolAsync();
        await using var browser = await Chromium.LaunchAsync();
        var page = await OpenStaffPageAsync(browser);

        await CheckManuallyAsync(page, barcode);
        await Expect(page.Locator("#result")).ToHaveClassAsync(OkResult());
        await Expect(page.Locator("#result-summary")).ToHaveTextAsync(Summary);
        await Chromium.ScreenshotAsync(page, "staff-manual-valid");

        await CheckManuallyAsync(page, barcode[..^3] + "AAA");
        await Expect(page.Locator("#result")).ToHaveClassAsync(BadResult());
        await Expect(page.Locator("#result-status")).ToHaveTextAsync("Not valid");
        await Expect(page.Locator("#result-summary")).ToHaveTextAsync("Forged barcode");
        await Chromium.ScreenshotAsync(page, "staff-manual-forged");
    }

    [Fact]
    public async Task Offline_the_page_verifies_the_signature_with_the_cached_public_key()
    {
        var barcode = await EnrolAsync();
        await using var browser = await Chromium.LaunchAsync();
        var page = await OpenStaffPageAsync(browser);
        await page.WaitForFunctionAsync("() => localStorage.getItem('walletpasses.staff.barcodeKeys') !== null");

        await page.Context.SetOfflineAsync(true);
        await CheckManuallyAsync(page, barcode);

        await Expect(page.Locator("#result")).ToHaveClassAsync(OfflineResult());
        await Expect(page.Locator("#result-status")).ToHaveTextAsync("Signature valid - balance not checked");
        await Expect(page.Locator("#network")).ToBeVisibleAsync();
        await Chromium.ScreenshotAsync(page, "staff-offline-signature-valid");

        await CheckManuallyAsync(page, barcode[..^3] + "AAA");
        await Expect(page.Locator("#result")).ToHaveClassAsync(BadResult());
        await Expect(page.Locator("#result-summary")).ToHaveTextAsync("Forged barcode (checked offline)");
    }

    [Fact]
    public async Task A_barcode_rewritten_into_its_high_s_twin_or_padded_is_refused_online_and_offline()
    {
        var barcode = await EnrolAsync();
        await using var browser = await Chromium.LaunchAsync();
        var page = await OpenStaffPageAsync(browser);
        await page.WaitForFunctionAsync("() => localStorage.getItem('walletpasses.staff.barcodeKeys') !== null");
        string[] rewrites = [TokenRewrites.HighS(barcode), TokenRewrites.Padded(barcode), TokenRewrites.UnusedBitsSet(barcode)];

        foreach (var rewritten in rewrites)
        {
            await CheckManuallyAsync(page, barcode);
            await Expect(page.Locator("#result-summary")).ToHaveTextAsync(Summary);
            await CheckManuallyAsync(page, rewritten);
            await Expect(page.Locator("#result-summary")).ToHaveTextAsync("Not a pass barcode");
        }

        // WebCrypto verifies the high-s twin as a valid signature: the page's own canonical-form check refuses it.
        await page.Context.SetOfflineAsync(true);
        foreach (var rewritten in rewrites)
        {
            await CheckManuallyAsync(page, barcode);
            await Expect(page.Locator("#result-status")).ToHaveTextAsync("Signature valid - balance not checked");
            await CheckManuallyAsync(page, rewritten);
            await Expect(page.Locator("#result")).ToHaveClassAsync(BadResult());
            await Expect(page.Locator("#result-summary")).ToHaveTextAsync("Not a pass barcode (checked offline)");
        }

        await Chromium.ScreenshotAsync(page, "staff-offline-high-s-refused");
    }

    [Fact]
    public async Task The_short_code_printed_under_the_qr_code_can_be_typed_into_the_manual_field()
    {
        var (_, barcode, altText) = await StaffPage.EnrolWithAltTextAsync(fixture.App);
        await using var browser = await Chromium.LaunchAsync();
        var page = await OpenStaffPageAsync(browser);

        await CheckManuallyAsync(page, altText.ToLowerInvariant());

        await Expect(page.Locator("#result")).ToHaveClassAsync(OkResult());
        await Expect(page.Locator("#result-summary")).ToHaveTextAsync(Summary);
        await Chromium.ScreenshotAsync(page, "staff-short-code-valid");
        Assert.NotEqual(barcode, altText);
    }

    [Fact]
    public async Task An_old_copy_of_a_pass_tells_staff_to_ask_for_the_pass_in_wallet()
    {
        var (memberId, oldBarcode, _) = await StaffPage.EnrolWithAltTextAsync(fixture.App);
        fixture.App.Factory.Time.Advance(TimeSpan.FromDays(1)); // the barcode is a day old: the next change re-issues it
        (await Backend().PutAsync($"members/{memberId}", TestMembers.Json("""{"displayName": "Jane Doe", "points": 1400, "tier": "gold"}"""))).EnsureSuccessStatusCode();
        await using var browser = await Chromium.LaunchAsync();
        var page = await OpenStaffPageAsync(browser);

        await CheckManuallyAsync(page, oldBarcode);

        await Expect(page.Locator("#result")).ToHaveClassAsync(BadResult());
        await Expect(page.Locator("#result-summary")).ToHaveTextAsync("This is an old copy of the pass: ask the customer to open Wallet");
        await Chromium.ScreenshotAsync(page, "staff-old-copy");
    }

    [Fact]
    public async Task Once_synced_a_voided_pass_is_refused_offline_too()
    {
        var (memberId, barcode, _) = await StaffPage.EnrolWithAltTextAsync(fixture.App);
        var serial = fixture.App.Factory.Services.GetRequiredService<BarcodeTokens>().Verify(barcode).SerialNumber!;
        await using var browser = await Chromium.LaunchAsync();
        var page = await OpenStaffPageAsync(browser);
        await page.WaitForFunctionAsync("() => localStorage.getItem('walletpasses.staff.barcodeKeys') !== null");

        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await Backend().DeleteAsync($"members/{memberId}")).StatusCode);
        await page.ReloadAsync(); // the page syncs voided passes when it starts (and every few minutes, and when back online)
        await page.WaitForFunctionAsync($"() => JSON.parse(localStorage.getItem('walletpasses.staff.voided') || '[]').includes('{serial}')");
        await page.Context.SetOfflineAsync(true);
        await CheckManuallyAsync(page, barcode);

        await Expect(page.Locator("#result")).ToHaveClassAsync(BadResult());
        await Expect(page.Locator("#result-summary")).ToHaveTextAsync("Pass voided (checked offline)");
        await Chromium.ScreenshotAsync(page, "staff-offline-voided");
    }

    [Fact]
    public async Task Once_loaded_the_page_opens_again_without_network()
    {
        var barcode = await EnrolAsync();
        await using var browser = await Chromium.LaunchAsync();
        var page = await OpenStaffPageAsync(browser);
        await page.WaitForFunctionAsync("() => navigator.serviceWorker.controller !== null && localStorage.getItem('walletpasses.staff.barcodeKeys') !== null");
        Assert.Equal(4, await page.EvaluateAsync<int>("async () => (await (await caches.open('walletpasses-staff-v1')).keys()).length"));

        await page.Context.SetOfflineAsync(true);
        await page.ReloadAsync();

        await Expect(page.Locator("#scanner")).ToBeVisibleAsync();
        await CheckManuallyAsync(page, barcode);
        await Expect(page.Locator("#result-status")).ToHaveTextAsync("Signature valid - balance not checked");
        await Chromium.ScreenshotAsync(page, "staff-offline-after-reload");
    }

    [Fact]
    public async Task The_key_is_entered_once_and_a_rejected_key_asks_again()
    {
        await using var browser = await Chromium.LaunchAsync();
        var page = await OpenStaffPageAsync(browser);

        await page.ReloadAsync();
        await Expect(page.Locator("#scanner")).ToBeVisibleAsync();
        await Expect(page.Locator("#who")).ToHaveTextAsync("tests @ popup-berlin");

        await page.EvaluateAsync("() => localStorage.setItem('walletpasses.staff.key', 'not-a-valid-key-000')");
        await page.ReloadAsync();
        await Expect(page.Locator("#setup")).ToBeVisibleAsync();
        await Expect(page.Locator("#setup-error")).ToContainTextAsync("not accepted");
    }

    private async Task<string> EnrolAsync()
    {
        using var backend = new HttpClient { BaseAddress = fixture.App.BaseAddress };
        backend.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", WalletPassesFactory.BackendKey);
        var (_, barcode) = await StaffTesting.EnrolAsync(fixture.App.Factory, backend, points: 1300, tier: "gold");
        return barcode;
    }

    private HttpClient Backend()
    {
        var backend = new HttpClient { BaseAddress = new Uri(fixture.App.BaseAddress, "api/") };
        backend.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", WalletPassesFactory.BackendKey);
        return backend;
    }

    /// <summary>Opens the page and enters the staff key and location through its set-up form, as staff would.</summary>
    private Task<IPage> OpenStaffPageAsync(IBrowser browser) => StaffPage.OpenAsync(browser, fixture.App.BaseAddress);

    private static Task CheckManuallyAsync(IPage page, string code) => StaffPage.CheckManuallyAsync(page, code);

    [GeneratedRegex(@"\bok\b")]
    private static partial Regex OkResult();

    [GeneratedRegex(@"\bbad\b")]
    private static partial Regex BadResult();

    [GeneratedRegex(@"\boffline\b")]
    private static partial Regex OfflineResult();
}
