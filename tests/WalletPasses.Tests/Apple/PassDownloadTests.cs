using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography.Pkcs;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Apple;

public sealed class PassDownloadTests(AppFixture app) : IClassFixture<AppFixture>
{
    private readonly HttpClient _backend = app.Factory.CreateBackendClient();

    private async Task<JsonElement> CreateMemberAsync(string tier = "gold", long points = 1250)
    {
        var memberId = "m-" + Guid.NewGuid().ToString("N")[..12];
        var response = await _backend.PutAsync(
            $"/api/members/{memberId}",
            new StringContent($$"""{"displayName": "Jane Doe", "points": {{points}}, "tier": "{{tier}}", "referralUrl": "https://shop.example/r/JANE10"}""", Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static string PassUrl(JsonElement member) => member.GetProperty("apple").GetProperty("passUrl").GetString()!;

    [Fact]
    public async Task The_customer_link_downloads_a_correctly_signed_pass_showing_the_member()
    {
        var member = await CreateMemberAsync();
        using var customer = app.Factory.CreateClient(); // no credentials

        var response = await customer.GetAsync(PassUrl(member));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.apple.pkpass", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.EndsWith(".pkpass", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'), StringComparison.Ordinal);
        Assert.NotNull(response.Content.Headers.LastModified);

        var pass = new PkPass(await response.Content.ReadAsByteArrayAsync());
        foreach (var (name, sha1) in pass.Manifest)
        {
#pragma warning disable CA5350 // the manifest format is SHA-1
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(pass.Files[name])), sha1);
#pragma warning restore CA5350
        }

        Assert.Equal(pass.Files.Keys.Except(["manifest.json", "signature"]).Order(), pass.Manifest.Keys.Order());
        var cms = new SignedCms(new ContentInfo(pass.Files["manifest.json"]), detached: true);
        cms.Decode(pass.Files["signature"]);
        cms.CheckSignature(verifySignatureOnly: true); // the chain to the test root is checked by openssl below
        var (exitCode, output) = OpenSsl.VerifyDetachedSignature(pass.Files["signature"], pass.Files["manifest.json"], TestCertificates.Certificates.Root.ExportCertificatePem());
        Assert.True(exitCode == 0, output);

        Assert.Equal(member.GetProperty("apple").GetProperty("serialNumber").GetString(), pass.PassJson.GetProperty("serialNumber").GetString());
        Assert.Equal("https://wallet.test/api/passkit", pass.PassJson.GetProperty("webServiceURL").GetString());
        Assert.True(pass.PassJson.GetProperty("authenticationToken").GetString()!.Length >= 32);
        Assert.Equal(JsonValueKind.Array, pass.PassJson.GetProperty("barcodes").ValueKind);
        Assert.Equal(1250, pass.Field("primaryFields", "points").GetProperty("value").GetInt64());
        Assert.Equal("Gold", pass.Strings("en")[pass.Field("headerFields", "tier").GetProperty("value").GetString()!]);
        Assert.Equal("Gold", pass.Strings("de")["tier.gold"]);
        Assert.Equal("Punkte", pass.Strings("de")["label.points"]);
        Assert.Equal("You now have %@ points", pass.Strings("en")[pass.Field("primaryFields", "points").GetProperty("changeMessage").GetString()!]);
        Assert.Equal("Jane Doe", pass.Field("secondaryFields", "member").GetProperty("value").GetString());
    }

    [Fact]
    public async Task The_barcode_is_a_token_the_service_can_verify_offline()
    {
        var member = await CreateMemberAsync();
        using var customer = app.Factory.CreateClient();
        var pass = new PkPass(await customer.GetByteArrayAsync(PassUrl(member)));

        var barcode = pass.PassJson.GetProperty("barcodes")[0].GetProperty("message").GetString();
        var tokens = (WalletPasses.Barcodes.BarcodeTokens)app.Factory.Services.GetService(typeof(WalletPasses.Barcodes.BarcodeTokens))!;
        var verification = tokens.Verify(barcode);

        Assert.True(verification.IsValid);
        Assert.Equal(member.GetProperty("apple").GetProperty("serialNumber").GetString(), verification.SerialNumber);
    }

    [Fact]
    public async Task HEAD_answers_with_the_headers_and_no_body()
    {
        var member = await CreateMemberAsync();
        using var customer = app.Factory.CreateClient();

        var response = await customer.SendAsync(new HttpRequestMessage(HttpMethod.Head, PassUrl(member)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.apple.pkpass", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Content.Headers.LastModified);
        Assert.True(response.Content.Headers.ContentLength > 10_000);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Revalidating_an_unchanged_pass_is_304_without_a_body()
    {
        var member = await CreateMemberAsync();
        using var customer = app.Factory.CreateClient();
        var lastModified = (await customer.GetAsync(PassUrl(member))).Content.Headers.LastModified;

        using var revalidation = new HttpRequestMessage(HttpMethod.Get, PassUrl(member));
        revalidation.Headers.IfModifiedSince = lastModified;
        var response = await customer.SendAsync(revalidation);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Equal(lastModified, response.Content.Headers.LastModified);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_changed_member_gets_a_newer_pass_from_the_same_link()
    {
        var member = await CreateMemberAsync(points: 100);
        using var customer = app.Factory.CreateClient();
        var first = await customer.GetAsync(PassUrl(member));

        app.Factory.Time.Advance(TimeSpan.FromSeconds(2)); // versions carry whole seconds, never one ahead of the clock
        await _backend.PutAsync($"/api/members/{member.GetProperty("memberId").GetString()}", new StringContent("""{"displayName": "Jane Doe", "points": 1300, "tier": "platinum"}""", Encoding.UTF8, "application/json"));
        var second = await customer.GetAsync(PassUrl(member));

        var pass = new PkPass(await second.Content.ReadAsByteArrayAsync());
        Assert.Equal(1300, pass.Field("primaryFields", "points").GetProperty("value").GetInt64());
        Assert.Equal("tier.platinum", pass.Field("headerFields", "tier").GetProperty("value").GetString());
        Assert.True(second.Content.Headers.LastModified > first.Content.Headers.LastModified);
    }

    [Theory]
    [InlineData("signature")]
    [InlineData("expires")]
    [InlineData("serial")]
    [InlineData("missing")]
    public async Task A_tampered_link_is_403_problem_details(string tamperWith)
    {
        var link = new Uri(PassUrl(await CreateMemberAsync()));
        var query = System.Web.HttpUtility.ParseQueryString(link.Query);
        var tampered = tamperWith switch
        {
            "signature" => $"{link.AbsolutePath}?expires={query["expires"]}&signature={(query["signature"]![0] == 'A' ? 'B' : 'A')}{query["signature"]![1..]}", // a changed first character (1 in 64 signatures starts with A)
            "expires" => $"{link.AbsolutePath}?expires={long.Parse(query["expires"]!) + 3600}&signature={query["signature"]}",
            "serial" => $"/api/apple/passes/{new string('0', 32)}?expires={query["expires"]}&signature={query["signature"]}",
            _ => link.AbsolutePath,
        };
        using var customer = app.Factory.CreateClient();

        var response = await customer.GetAsync(tampered);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_expired_link_is_410()
    {
        await using var factory = new WalletPassesFactory(app.Azurite.ConnectionString);
        var backend = factory.CreateBackendClient();
        var created = await backend.PutAsync($"/api/members/m-{Guid.NewGuid():N}", new StringContent("""{"displayName": "Jane", "points": 5, "tier": "gold"}""", Encoding.UTF8, "application/json"));
        var link = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("apple").GetProperty("passUrl").GetString();

        factory.Time.Advance(TimeSpan.FromDays(31));
        var response = await factory.CreateClient().GetAsync(link);
        using var fromSafari = new HttpRequestMessage(HttpMethod.Get, link);
        fromSafari.Headers.Accept.ParseAdd(SafariAccept);
        var page = await factory.CreateClient().SendAsync(fromSafari);

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);

        // A customer tapping the link on a phone gets a page to read, with the same status, not JSON.
        Assert.Equal(HttpStatusCode.Gone, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("This pass link has expired; ask for a new one.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("traceId", html, StringComparison.Ordinal);
        Assert.StartsWith("default-src 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("no-store", page.Headers.CacheControl?.ToString());
        Assert.Contains("Accept", response.Headers.Vary); // the JSON answer to the same URL is not served from a cache to a browser
        Assert.Contains("Accept", page.Headers.Vary);
    }

    /// <summary>What Safari on iOS sends when it navigates to a link (WebKit's default for a top-level navigation).</summary>
    private const string SafariAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    /// <summary>
    /// The token is stored with its member and nowhere else: the member row is its one source of truth (so a
    /// rotated signing secret changes nothing, and a revocation replaces it), not the pass index, device rows,
    /// queues or blobs.
    /// </summary>
    [Fact]
    public async Task The_authentication_token_is_stored_only_in_its_members_row()
    {
        var member = await CreateMemberAsync();
        using var customer = app.Factory.CreateClient();
        var token = new PkPass(await customer.GetByteArrayAsync(PassUrl(member))).PassJson.GetProperty("authenticationToken").GetString()!;

        // This app's storage only (its name prefix): other tests' apps write the shared Azurite at the same time.
        var memberId = member.GetProperty("memberId").GetString()!;
        var findings = await StorageAccountScan.FindAsync(
            app.Azurite.ConnectionString,
            app.Factory.StoragePrefix,
            new Dictionary<string, string> { ["token"] = token, ["serial number"] = member.GetProperty("apple").GetProperty("serialNumber").GetString()! },
            (_, row) => row.PartitionKey + "/" + row.RowKey);

        Assert.Contains(findings, finding => finding.Value == "serial number");
        Assert.Equal([$"table members [{memberId}/member] AuthenticationToken: token"], findings.Where(finding => finding.Value == "token").Select(finding => finding.ToString()));
    }
}
