using System.Net.Http.Headers;
using Microsoft.Playwright;
using WalletPasses.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace WalletPasses.Tests.Browser;

/// <summary>What a store does with the staff page: set it up with the staff key, type a code to check.</summary>
internal static class StaffPage
{
    public static async Task<IPage> OpenAsync(IBrowser browser, Uri baseAddress, string staffKey = WalletPassesFactory.StaffKey)
    {
        var page = await Chromium.NewPhonePageAsync(browser, baseAddress);
        await page.GotoAsync("/api/staff");
        await page.Locator("#staff-key").FillAsync(staffKey);
        await page.Locator("#location").FillAsync("popup-berlin");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page.Locator("#scanner")).ToBeVisibleAsync();
        return page;
    }

    public static async Task CheckManuallyAsync(IPage page, string code)
    {
        await page.Locator("#manual-code").FillAsync(code);
        await page.GetByRole(AriaRole.Button, new() { Name = "Check", Exact = true }).ClickAsync();
    }

    /// <summary>A client of the app with the backend key, as the loyalty backend calls it.</summary>
    public static HttpClient Backend(KestrelApp app)
    {
        var backend = new HttpClient { BaseAddress = app.BaseAddress };
        backend.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", WalletPassesFactory.BackendKey);
        return backend;
    }

    /// <summary>A new gold member with 1,300 points; the barcode of their pass.</summary>
    public static async Task<string> EnrolAsync(KestrelApp app)
    {
        using var backend = Backend(app);
        return (await StaffTesting.EnrolAsync(app.Factory, backend, points: 1300, tier: "gold")).Barcode;
    }

    /// <summary>A new gold member with 1,300 points; what their pass's QR code carries and the code printed under it.</summary>
    public static async Task<(string MemberId, string Barcode, string AltText)> EnrolWithAltTextAsync(KestrelApp app)
    {
        var memberId = TestMembers.NewId();
        using var backend = Backend(app);
        var created = await TestMembers.CreateAsync(backend, memberId, 1300, "gold");
        var passUrl = new Uri(created.GetProperty("apple").GetProperty("passUrl").GetString()!);
        using var anonymous = new HttpClient { BaseAddress = app.BaseAddress };
        var qr = new PkPass(await anonymous.GetByteArrayAsync(new Uri(passUrl.PathAndQuery.TrimStart('/'), UriKind.Relative))).PassJson.GetProperty("barcodes")[0];
        return (memberId, qr.GetProperty("message").GetString()!, qr.GetProperty("altText").GetString()!);
    }
}
