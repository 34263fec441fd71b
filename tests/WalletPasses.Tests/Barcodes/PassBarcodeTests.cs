using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Tests.Infrastructure;
using WalletPasses.Tests.Staff;

namespace WalletPasses.Tests.Barcodes;

/// <summary>
/// The pass barcode as staff meet it: the short code under the QR code, and the screenshot policy (a pass that
/// changes after its barcode is a day old gets a new one; the old one then checks as an old copy).
/// </summary>
public sealed class PassBarcodeTests(StaffFixture app) : IClassFixture<StaffFixture>
{
    private readonly HttpClient _backend = app.Factory.CreateBackendClient();
    private readonly HttpClient _staff = app.Factory.CreateStaffClient();

    // Apple's Pass reference (developer.apple.com/documentation/walletpasses/pass/barcodes): altText is the
    // "text displayed near the barcode", for example a human-readable version of the barcode data.
    [Fact]
    public async Task The_qr_code_carries_a_short_alt_text_that_validates_when_typed()
    {
        var (_, barcode, altText) = await EnrolAsync();

        Assert.Matches("^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$", altText);
        foreach (var typed in new[] { altText, altText.ToLowerInvariant().Replace("-", "", StringComparison.Ordinal), " " + altText + " " })
        {
            var result = await StaffTesting.ValidateOkAsync(_staff, typed);
            Assert.True(result.GetProperty("valid").GetBoolean());
            Assert.Equal("Jane D.", result.GetProperty("member").GetProperty("displayName").GetString());
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/redemptions") { Content = JsonContent.Create(new { barcode = altText, perkId = "free-shipping" }) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.OK, (await _staff.SendAsync(request)).StatusCode);
        Assert.NotEqual(barcode, altText);
    }

    [Fact]
    public async Task A_code_no_pass_has_is_unknown()
    {
        var result = await StaffTesting.ValidateOkAsync(_staff, "ZZZZZ-ZZZZZ");

        Assert.False(result.GetProperty("valid").GetBoolean());
        Assert.Equal("unknown", result.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_change_within_a_day_keeps_the_barcode()
    {
        var (memberId, barcode, altText) = await EnrolAsync();

        var changed = await ChangeAsync(memberId, points: 1400);

        Assert.Equal((barcode, altText), await BarcodeOfAsync(changed));
    }

    [Fact]
    public async Task After_a_day_the_next_change_brings_a_new_barcode_and_the_old_copy_is_refused_as_outdated()
    {
        var (memberId, oldBarcode, oldAltText) = await EnrolAsync();
        app.Factory.Time.Advance(TimeSpan.FromDays(1)); // BarcodeOptions.ReissueAfter's default

        var (newBarcode, newAltText) = await BarcodeOfAsync(await ChangeAsync(memberId, points: 1400));

        Assert.NotEqual(oldBarcode, newBarcode);
        Assert.NotEqual(oldAltText, newAltText);
        Assert.True((await StaffTesting.ValidateOkAsync(_staff, newBarcode)).GetProperty("valid").GetBoolean());
        Assert.True((await StaffTesting.ValidateOkAsync(_staff, newAltText)).GetProperty("valid").GetBoolean());
        foreach (var oldCopy in new[] { oldBarcode, oldAltText })
        {
            var result = await StaffTesting.ValidateOkAsync(_staff, oldCopy);
            Assert.False(result.GetProperty("valid").GetBoolean());
            Assert.Equal("outdated", result.GetProperty("reason").GetString());
            Assert.False(result.TryGetProperty("member", out _));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/redemptions") { Content = JsonContent.Create(new { barcode = oldBarcode, perkId = "free-shipping" }) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        var refused = await _staff.SendAsync(request);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal("outdated", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_barcode_issued_before_tokens_named_their_program_stays_valid_until_the_next_version_brings_one_that_names_it()
    {
        var (memberId, barcode, _) = await EnrolAsync();
        var tokens = app.Factory.Services.GetRequiredService<WalletPasses.Barcodes.BarcodeTokens>();
        Assert.Equal(WalletPasses.Barcodes.BarcodeTokens.ProgramTag("default"), tokens.Verify(barcode).ProgramTag);
        using var key = System.Security.Cryptography.ECDsa.Create();
        key.ImportFromPem(await File.ReadAllTextAsync(TestCertificates.Files.BarcodeSigningKey));
        var programless = ProgramlessTokens.Issue(key, tokens.Verify(barcode).SerialNumber!, app.Factory.Time.GetUtcNow().AddMinutes(-10));
        var members = app.Factory.Services.GetRequiredService<WalletPasses.Storage.StorageClients>().Members;
        await members.UpdateEntityAsync(new Azure.Data.Tables.TableEntity(memberId, "member") { ["BarcodeMessage"] = programless }, Azure.ETag.All, Azure.Data.Tables.TableUpdateMode.Merge);
        Assert.True((await StaffTesting.ValidateOkAsync(_staff, programless)).GetProperty("valid").GetBoolean());

        var (next, _) = await BarcodeOfAsync(await ChangeAsync(memberId, points: 1400)); // within the day: young, yet names no program

        Assert.Equal(WalletPasses.Barcodes.BarcodeTokens.ProgramTag("default"), tokens.Verify(next).ProgramTag);
        Assert.True((await StaffTesting.ValidateOkAsync(_staff, next)).GetProperty("valid").GetBoolean());
        Assert.Equal("outdated", (await StaffTesting.ValidateOkAsync(_staff, programless)).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_points_event_after_a_day_also_brings_a_new_barcode()
    {
        var (memberId, oldBarcode, _) = await EnrolAsync();
        app.Factory.Time.Advance(TimeSpan.FromDays(1));

        Assert.Equal(HttpStatusCode.Accepted, (await _backend.PostAsync("/api/loyalty-events", TestMembers.Json(TestMembers.PointsEvent(memberId, 5, 1500)))).StatusCode);
        var changed = await TestMembers.WaitForAsync(_backend, memberId, m => m.GetProperty("points").GetInt64() == 1500);

        Assert.NotEqual(oldBarcode, (await BarcodeOfAsync(changed)).Barcode);
        Assert.Equal("outdated", (await StaffTesting.ValidateOkAsync(_staff, oldBarcode)).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Staff_devices_fetch_the_serials_of_voided_passes_page_by_page()
    {
        var (memberId, barcode, _) = await EnrolAsync();
        var serial = app.Factory.Services.GetRequiredService<WalletPasses.Barcodes.BarcodeTokens>().Verify(barcode).SerialNumber!;
        var before = await _staff.GetFromJsonAsync<JsonElement>("/api/staff/voided?after=");
        var cursor = before.GetProperty("next").GetString();
        Assert.DoesNotContain(serial, before.GetProperty("serials").EnumerateArray().Select(s => s.GetString()));

        Assert.Equal(HttpStatusCode.NoContent, (await _backend.DeleteAsync($"/api/members/{memberId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _backend.DeleteAsync($"/api/members/{memberId}")).StatusCode); // a retry adds nothing

        var after = await _staff.GetFromJsonAsync<JsonElement>($"/api/staff/voided?after={Uri.EscapeDataString(cursor!)}");
        Assert.Equal([serial], after.GetProperty("serials").EnumerateArray().Select(s => s.GetString()));
        var next = after.GetProperty("next").GetString();
        Assert.Empty((await _staff.GetFromJsonAsync<JsonElement>($"/api/staff/voided?after={Uri.EscapeDataString(next!)}")).GetProperty("serials").EnumerateArray());
        Assert.Equal(HttpStatusCode.BadRequest, (await _staff.GetAsync("/api/staff/voided?after=x'or'1")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Factory.CreateClient().GetAsync("/api/staff/voided")).StatusCode);
    }

    [Fact]
    public async Task A_revoked_pass_gets_a_new_barcode_at_once_and_the_leaked_copy_redeems_nothing()
    {
        // Revocation is the operator's answer to a pass in other hands (README, Security): the copy's barcode, however
        // young, must stop redeeming the member's perks; the pass the customer adds again carries the new one.
        var (memberId, leakedBarcode, leakedAltText) = await EnrolAsync();
        app.Factory.Time.Advance(TimeSpan.FromMinutes(5));

        (await _backend.PostAsync($"/api/members/{memberId}/apple-pass/revoke-token", content: null)).EnsureSuccessStatusCode();
        var (newBarcode, newAltText) = await BarcodeOfAsync(await _backend.GetFromJsonAsync<JsonElement>($"/api/members/{memberId}"));

        Assert.NotEqual(leakedBarcode, newBarcode);
        Assert.NotEqual(leakedAltText, newAltText);
        Assert.True((await StaffTesting.ValidateOkAsync(_staff, newBarcode)).GetProperty("valid").GetBoolean());
        foreach (var leaked in new[] { leakedBarcode, leakedAltText })
        {
            var result = await StaffTesting.ValidateOkAsync(_staff, leaked);
            Assert.False(result.GetProperty("valid").GetBoolean());
            Assert.Equal("outdated", result.GetProperty("reason").GetString());
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/redemptions") { Content = JsonContent.Create(new { barcode = leakedBarcode, perkId = "free-shipping" }) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await _staff.SendAsync(request)).StatusCode);
    }

    private async Task<(string MemberId, string Barcode, string AltText)> EnrolAsync()
    {
        var memberId = TestMembers.NewId();
        var created = await TestMembers.CreateAsync(_backend, memberId, 1300, "gold");
        var (barcode, altText) = await BarcodeOfAsync(created);
        return (memberId, barcode, altText);
    }

    private async Task<JsonElement> ChangeAsync(string memberId, long points)
    {
        var response = await _backend.PutAsync($"/api/members/{memberId}", TestMembers.Json($$"""{"displayName": "Jane Doe", "points": {{points}}, "tier": "gold"}"""));
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<(string Barcode, string AltText)> BarcodeOfAsync(JsonElement memberDocument)
    {
        var passUrl = new Uri(memberDocument.GetProperty("apple").GetProperty("passUrl").GetString()!);
        using var anonymous = app.Factory.CreateClient();
        var qr = new PkPass(await anonymous.GetByteArrayAsync(new Uri(passUrl.PathAndQuery, UriKind.Relative))).PassJson.GetProperty("barcodes")[0];
        return (qr.GetProperty("message").GetString()!, qr.GetProperty("altText").GetString()!);
    }
}
