using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Barcodes;
using WalletPasses.Tests.Barcodes;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Staff;

public sealed class ValidationsApiTests(StaffFixture app) : IClassFixture<StaffFixture>
{
    private readonly HttpClient _backend = app.Factory.CreateBackendClient();
    private readonly HttpClient _staff = app.Factory.CreateStaffClient();

    private BarcodeTokens Tokens => app.Factory.Services.GetRequiredService<BarcodeTokens>();

    [Fact]
    public async Task A_valid_pass_answers_first_name_and_initial_tier_points_and_the_tiers_perks()
    {
        var (_, barcode) = await StaffTesting.EnrolAsync(app.Factory, _backend, points: 1300, tier: "gold");

        var result = await StaffTesting.ValidateOkAsync(_staff, barcode);

        Assert.True(result.GetProperty("valid").GetBoolean());
        Assert.False(result.TryGetProperty("reason", out _));
        var member = result.GetProperty("member");
        Assert.Equal("Jane D.", member.GetProperty("displayName").GetString());
        Assert.Equal("gold", member.GetProperty("tier").GetProperty("id").GetString());
        Assert.Equal("Gold", member.GetProperty("tier").GetProperty("name").GetString());
        Assert.Equal(1300, member.GetProperty("points").GetInt64());
        Assert.DoesNotContain("Doe", result.GetRawText(), StringComparison.Ordinal);
        var perks = result.GetProperty("perks").EnumerateArray().ToArray();
        Assert.Equal(["free-shipping", "early-access", "birthday-drink"], perks.Select(p => p.GetProperty("id").GetString()));
        Assert.Equal(["Free shipping", "Early access to new releases", "Free birthday drink"], perks.Select(p => p.GetProperty("title").GetString()));
        Assert.Equal(["Unlimited", "Unlimited", "Once"], perks.Select(p => p.GetProperty("redemption").GetString()));
        Assert.All(perks, p => Assert.True(p.GetProperty("redeemable").GetBoolean()));
        Assert.Matches("^[0-9a-f]{32}$", result.GetProperty("scanId").GetString());
    }

    [Fact]
    public async Task Tier_and_perk_titles_follow_the_staff_devices_language()
    {
        var (_, barcode) = await StaffTesting.EnrolAsync(app.Factory, _backend, tier: "silver");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/validations") { Content = JsonContent.Create(new { barcode }) };
        request.Headers.AcceptLanguage.ParseAdd("de-AT, en;q=0.5");

        var result = await (await _staff.SendAsync(request)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("Silber", result.GetProperty("member").GetProperty("tier").GetProperty("name").GetString());
        Assert.Equal("Gratis-Getränk zum Geburtstag", result.GetProperty("perks")[0].GetProperty("title").GetString());
    }

    public static TheoryData<string, string> Names => new()
    {
        { "Jane Doe", "Jane D." },
        { "  Mary Ann   van der Berg ", "Mary B." },
        { "Cher", "Cher" },
        { "Álvaro Ñúñez", "Álvaro Ñ." },
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void Staff_see_the_first_name_and_the_last_initial(string displayName, string shown) =>
        Assert.Equal(shown, WalletPasses.Staff.StaffViews.ShortName(displayName));

    [Fact]
    public async Task A_token_with_a_changed_serial_is_forged()
    {
        var (_, barcode) = await StaffTesting.EnrolAsync(app.Factory, _backend);
        var (_, other) = await StaffTesting.EnrolAsync(app.Factory, _backend);
        var dot = barcode.LastIndexOf('.');

        // Another genuine pass's payload with this pass's signature: the key id is right, the signature is not.
        var forged = other[..other.LastIndexOf('.')] + barcode[dot..];

        await AssertInvalidAsync(forged, "forged");
    }

    [Fact]
    public async Task A_token_signed_by_someone_else_under_our_key_id_is_forged()
    {
        var (_, barcode) = await StaffTesting.EnrolAsync(app.Factory, _backend);
        using var attacker = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var signingInput = barcode[..barcode.LastIndexOf('.')];
        var signature = attacker.SignData(System.Text.Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

        // In low-s form, as a careful forger would send it: only the signature check can refuse it.
        await AssertInvalidAsync(TokenRewrites.LowS(signingInput + "." + System.Buffers.Text.Base64Url.EncodeToString(signature)), "forged");
    }

    [Theory]
    [InlineData(10)]
    [InlineData(60)]
    [InlineData(100)]
    public async Task A_truncated_token_is_malformed(int keep)
    {
        var (_, barcode) = await StaffTesting.EnrolAsync(app.Factory, _backend);

        await AssertInvalidAsync(barcode[..keep], "malformed");
    }

    [Theory]
    [InlineData("https://shop.example/")]
    [InlineData("hello")]
    [InlineData("WP1..")]
    [InlineData("WP1.!!!.???")]
    public async Task Other_qr_codes_are_malformed(string text) => await AssertInvalidAsync(text, "malformed");

    [Fact]
    public async Task A_pass_barcode_rewritten_into_another_encoding_of_the_same_signature_is_refused()
    {
        var (_, barcode) = await StaffTesting.EnrolAsync(app.Factory, _backend);

        // Each verifies as ECDSA or decodes as base64url; the scan must still be the pass's one barcode text.
        await AssertInvalidAsync(TokenRewrites.HighS(barcode), "malformed");
        await AssertInvalidAsync(TokenRewrites.Padded(barcode), "malformed");
        await AssertInvalidAsync(TokenRewrites.UnusedBitsSet(barcode), "malformed");
        Assert.True((await StaffTesting.ValidateOkAsync(_staff, barcode)).GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task A_very_long_barcode_is_malformed_not_an_error() => await AssertInvalidAsync(new string('A', 3000), "malformed");

    [Fact]
    public async Task A_token_of_another_program_or_deployment_names_the_unknown_key()
    {
        var (_, barcode) = await StaffTesting.EnrolAsync(app.Factory, _backend);
        var serial = Tokens.Verify(barcode).SerialNumber!;
        using var otherProgram = new BarcodeTokens(ECDsa.Create(ECCurve.NamedCurves.nistP256));

        await AssertInvalidAsync(otherProgram.Issue(serial, "default", DateTimeOffset.UtcNow), "unknown-key");
    }

    [Fact]
    public async Task A_genuine_token_for_a_serial_never_issued_is_unknown()
    {
        var serial = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

        await AssertInvalidAsync(Tokens.Issue(serial, "default", DateTimeOffset.UtcNow), "unknown");
    }

    [Fact]
    public async Task The_pass_of_a_deleted_member_is_voided_and_shows_nothing_of_them()
    {
        var (memberId, barcode) = await StaffTesting.EnrolAsync(app.Factory, _backend);
        Assert.Equal(HttpStatusCode.NoContent, (await _backend.DeleteAsync($"/api/members/{memberId}")).StatusCode);

        var result = await AssertInvalidAsync(barcode, "voided");

        Assert.False(result.TryGetProperty("member", out _));
        Assert.Empty(result.GetProperty("perks").EnumerateArray());
    }

    [Fact]
    public async Task The_old_pass_of_a_member_enrolled_again_is_voided()
    {
        var (memberId, barcode) = await StaffTesting.EnrolAsync(app.Factory, _backend);
        await _backend.DeleteAsync($"/api/members/{memberId}");
        var again = await TestMembers.CreateAsync(_backend, memberId, 10, "gold");

        await AssertInvalidAsync(barcode, "voided");
        Assert.True((await StaffTesting.ValidateOkAsync(_staff, await StaffTesting.BarcodeOfAsync(app.Factory, again))).GetProperty("valid").GetBoolean());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer " + WalletPassesFactory.BackendKey)]
    [InlineData("Bearer wrong-key-0000000000")]
    [InlineData("Basic dGVzdDp0ZXN0")]
    public async Task Without_a_staff_key_it_is_the_same_401(string? authorization)
    {
        var (_, barcode) = await StaffTesting.EnrolAsync(app.Factory, _backend);
        var client = app.Factory.CreateClient();
        if (authorization is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        }

        var response = await StaffTesting.ValidateAsync(client, barcode);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("Jane", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"location": "popup-berlin"}""", "barcode")]
    [InlineData("""{"barcode": ""}""", "barcode")]
    [InlineData("""{"barcode": "x", "location": "../../etc"}""", "location")]
    [InlineData("""{"barcode": "x", "location": "popup berlin"}""", "location")]
    [InlineData("""{"barcode": "x", "location": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}""", "location")]
    public async Task Bad_input_is_400_problem_details_naming_the_field(string body, string field)
    {
        var response = await _staff.PostAsync("/api/validations", TestMembers.Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Theory]
    [InlineData("not json", HttpStatusCode.BadRequest)]
    [InlineData("""{"barcode": 42}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"barcode": "x", "extra": true}""", HttpStatusCode.BadRequest)]
    public async Task Malformed_bodies_are_4xx_problem_details(string body, HttpStatusCode status)
    {
        var response = await _staff.PostAsync("/api/validations", TestMembers.Json(body));

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413()
    {
        var response = await _staff.PostAsync("/api/validations", TestMembers.Json($$"""{"barcode": "{{new string('A', 10_000)}}"}"""));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Every_scan_is_recorded_by_location_and_day_and_published_to_pass_activity()
    {
        var (memberId, barcode) = await StaffTesting.EnrolAsync(app.Factory, _backend);
        var valid = await StaffTesting.ValidateOkAsync(_staff, barcode, "popup-berlin");
        var forged = await StaffTesting.ValidateOkAsync(_staff, barcode[..^3] + "AAA", "popup-berlin");
        var scanIds = new[] { valid, forged }.Select(r => r.GetProperty("scanId").GetString()).ToArray();

        var table = app.Azurite.Tables.GetTableClient(app.Factory.StoragePrefix + "scans");
        var day = app.Factory.Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var rows = await table.QueryAsync<TableEntity>(e => e.PartitionKey == $"popup-berlin|{day}").ToListAsync();
        var validRow = rows.Single(r => r.GetString("ScanId") == scanIds[0]);
        Assert.True(validRow.GetBoolean("Valid"));
        Assert.Equal("tests", validRow.GetString("StaffKey"));
        Assert.Equal("popup-berlin", validRow.GetString("Location"));
        Assert.Equal(memberId, validRow.GetString("MemberId"));
        Assert.NotNull(validRow.GetDateTimeOffset("ScannedAt"));
        var forgedRow = rows.Single(r => r.GetString("ScanId") == scanIds[1]);
        Assert.False(forgedRow.GetBoolean("Valid"));
        Assert.Equal("forged", forgedRow.GetString("Reason"));

        var messages = await StaffTesting.ActivitiesAsync(StaffTesting.ActivityQueue(app), m => scanIds.Contains(m.GetProperty("id").GetString()), expected: 2);
        var published = messages.Single(m => m.GetProperty("id").GetString() == scanIds[0]);
        Assert.Equal("pass.scanned", published.GetProperty("type").GetString());
        Assert.True(published.GetProperty("valid").GetBoolean());
        Assert.Equal("popup-berlin", published.GetProperty("location").GetString());
        Assert.Equal("tests", published.GetProperty("staffKey").GetString());
        Assert.Equal(memberId, published.GetProperty("memberId").GetString());
        Assert.Equal("forged", messages.Single(m => m.GetProperty("id").GetString() == scanIds[1]).GetProperty("reason").GetString());
    }

    private async Task<JsonElement> AssertInvalidAsync(string barcode, string reason)
    {
        var result = await StaffTesting.ValidateOkAsync(_staff, barcode);
        Assert.False(result.GetProperty("valid").GetBoolean());
        Assert.Equal(reason, result.GetProperty("reason").GetString());
        Assert.False(result.TryGetProperty("member", out _));
        return result;
    }
}
