using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Playwright;
using WalletPasses.Tests.Infrastructure;
using WalletPasses.Tests.Popups;
using static Microsoft.Playwright.Assertions;

namespace WalletPasses.Tests.Browser;

/// <summary>The staff page in headless Chromium picks the pop-up it is at, and the scan it makes records it.</summary>
[Collection(BrowserTests.Name)]
public sealed class StaffPopupPickerTests(BrowserAppFixture fixture)
{
    [Fact]
    public async Task Staff_pick_the_pop_up_they_are_at_and_the_scan_records_it()
    {
        using var backend = new HttpClient { BaseAddress = fixture.App.BaseAddress };
        backend.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", WalletPassesFactory.BackendKey);
        // For platinum members only: the gold passes other browser tests use do not change.
        var name = "Pop-up " + Guid.NewGuid().ToString("N")[..6];
        var created = await backend.PostAsync("/api/popups", TestMembers.Json(PopupApp.PopupJson(fixture.App.Factory.Time.GetUtcNow().AddHours(-1), tiers: """["platinum"]""", name: name)));
        created.EnsureSuccessStatusCode();
        var popupId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var (memberId, barcode) = await StaffTesting.EnrolAsync(fixture.App.Factory, backend, points: 1300, tier: "gold");
        await using var browser = await Chromium.LaunchAsync();
        var page = await StaffPage.OpenAsync(browser, fixture.App.BaseAddress);

        await Expect(page.Locator($"#popup option[value='{popupId}']")).ToHaveTextAsync($"{name} (Alexanderplatz 1, 10178 Berlin)");
        await page.Locator("#popup").SelectOptionAsync(popupId);
        await Chromium.ScreenshotAsync(page, "staff-popup-picked");
        await StaffPage.CheckManuallyAsync(page, barcode);
        await Expect(page.Locator("#result-status")).ToHaveTextAsync("Valid");

        var azurite = await AzuriteServer.Shared;
        var scans = azurite.Tables.GetTableClient(fixture.App.Factory.StoragePrefix + "scans");
        var rows = new List<TableEntity>();
        await foreach (var row in scans.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"MemberId eq {memberId}")))
        {
            rows.Add(row);
        }

        Assert.Equal(popupId, Assert.Single(rows).GetString("PopupId"));
        await page.ReloadAsync();
        await Expect(page.Locator("#popup")).ToHaveValueAsync(popupId); // the device keeps its pop-up
    }
}
