using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.Playwright;
using WalletPasses.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace WalletPasses.Tests.Browser;

/// <summary>
/// A staff device checking offline during a barcode key rotation, in real headless Chromium: it verifies with the
/// keys it fetched from <c>/api/barcode-keys</c> (WebCrypto ECDSA P-256), so a barcode signed before the rotation
/// stays valid while its key is accepted and is refused once the key is retired and the device has refreshed.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class BarcodeKeyRotationPageTests(BrowserAppFixture fixture)
{
    [Fact]
    public async Task Offline_a_barcode_of_the_old_key_checks_valid_after_a_new_key_is_added_and_not_after_the_old_is_retired()
    {
        using var backend = new HttpClient { BaseAddress = fixture.App.BaseAddress };
        backend.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", WalletPassesFactory.BackendKey);
        var (_, oldBarcode) = await StaffTesting.EnrolAsync(fixture.App.Factory, backend); // signed with the old key
        using var oldKey = ECDsa.Create();
        oldKey.ImportFromPem(await File.ReadAllTextAsync(TestCertificates.Files.BarcodeSigningKey));
        using var newKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await using var rotated = await KestrelApp.StartAsync("Development", Keys(newKey, accepted: oldKey));
        await using var retired = await KestrelApp.StartAsync("Development", Keys(newKey, accepted: null));
        await using var browser = await Chromium.LaunchAsync();

        var afterRotation = await CheckOfflineAsync(browser, rotated, oldBarcode, expectedKeys: 2);
        await Expect(afterRotation.Locator("#result-status")).ToHaveTextAsync("Signature valid - balance not checked");
        await Chromium.ScreenshotAsync(afterRotation, "staff-offline-old-key-after-rotation");

        var afterRetirement = await CheckOfflineAsync(browser, retired, oldBarcode, expectedKeys: 1);
        await Expect(afterRetirement.Locator("#result-summary")).ToHaveTextAsync("Unknown key: another deployment, or a retired key (checked offline)");
        await Chromium.ScreenshotAsync(afterRetirement, "staff-offline-old-key-retired");
    }

    private static Dictionary<string, string?> Keys(ECDsa signing, ECDsa? accepted) => new()
    {
        ["WalletPasses:Events:PollQueue"] = "false",
        ["WalletPasses:Barcode:SigningKeyFile"] = null,
        ["WalletPasses:Barcode:SigningKeyPem"] = signing.ExportPkcs8PrivateKeyPem(),
        ["WalletPasses:Barcode:AcceptedKeysPem"] = accepted?.ExportSubjectPublicKeyInfoPem(),
    };

    /// <summary>Sets up the staff page on <paramref name="app"/>, waits until it cached the keys, goes offline and checks the barcode.</summary>
    private static async Task<IPage> CheckOfflineAsync(IBrowser browser, KestrelApp app, string barcode, int expectedKeys)
    {
        var page = await StaffPage.OpenAsync(browser, app.BaseAddress);
        await page.WaitForFunctionAsync($"() => (JSON.parse(localStorage.getItem('walletpasses.staff.barcodeKeys') || '[]')).length === {expectedKeys}");
        await page.Context.SetOfflineAsync(true);
        await StaffPage.CheckManuallyAsync(page, barcode);
        return page;
    }
}
