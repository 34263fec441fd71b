using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Barcodes;
using WalletPasses.Tests.Barcodes;
using WalletPasses.Tests.Infrastructure;
using WalletPasses.Tests.Programs;
using static Microsoft.Playwright.Assertions;

namespace WalletPasses.Tests.Browser;

/// <summary>
/// A staff device whose key is limited to one program, checking offline in real headless Chromium: the barcode keys
/// (<c>/api/barcode-keys</c>) are the deployment's, so the signature alone says nothing of the program. Online the
/// server answers <c>unknown</c> for another program's pass; offline the page must not call it a pass of its programs.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class ProgramStaffOfflinePageTests
{
    [Fact]
    public async Task Offline_a_key_limited_to_one_program_refuses_another_programs_pass_as_the_server_does_online()
    {
        await using var app = await KestrelApp.StartAsync("Development", TwoPrograms.Settings());
        using var backend = StaffPage.Backend(app);
        await TwoPrograms.AddSecondProgramAsync(backend);
        var (_, defaultBarcode, secondBarcode) = await TwoPrograms.SameMemberInBothAsync(app.Factory, backend);
        var created = await backend.PostAsync(new Uri("/api/staff-keys", UriKind.Relative), JsonContent.Create(new { name = "second-only", programs = new[] { TwoPrograms.SecondProgram } }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var secondOnly = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
        await using var browser = await Chromium.LaunchAsync();
        var page = await StaffPage.OpenAsync(browser, app.BaseAddress, secondOnly);
        await page.WaitForFunctionAsync("() => localStorage.getItem('walletpasses.staff.barcodeKeys') !== null");

        await StaffPage.CheckManuallyAsync(page, defaultBarcode);
        await Expect(page.Locator("#result-summary")).ToHaveTextAsync("Unknown pass");

        await page.Context.SetOfflineAsync(true);
        await StaffPage.CheckManuallyAsync(page, secondBarcode);
        await Expect(page.Locator("#result-status")).ToHaveTextAsync("Signature valid - balance not checked");
        await StaffPage.CheckManuallyAsync(page, defaultBarcode);
        await Expect(page.Locator("#result-status")).ToHaveTextAsync("Not valid");
        await Expect(page.Locator("#result-summary")).ToHaveTextAsync("Unknown pass (checked offline)");
        await Chromium.ScreenshotAsync(page, "staff-offline-other-program");

        // A WP1 barcode (issued before tokens named their program) names none: still genuine, but marked unchecked.
        using var key = ECDsa.Create();
        key.ImportFromPem(await File.ReadAllTextAsync(TestCertificates.Files.BarcodeSigningKey));
        await StaffPage.CheckManuallyAsync(page, ProgramlessTokens.Issue(key, app.Factory.Services.GetRequiredService<BarcodeTokens>().Verify(defaultBarcode).SerialNumber!, DateTimeOffset.UtcNow));
        await Expect(page.Locator("#result-status")).ToHaveTextAsync("Signature valid - program and balance not checked");
    }
}
