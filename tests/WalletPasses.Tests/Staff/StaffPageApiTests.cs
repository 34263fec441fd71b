using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Barcodes;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Staff;

public sealed class StaffPageApiTests(StaffFixture app) : IClassFixture<StaffFixture>
{
    private readonly HttpClient _anonymous = app.Factory.CreateClient();

    [Theory]
    [InlineData("/api/staff", "text/html")]
    [InlineData("/api/staff/staff.js", "text/javascript")]
    [InlineData("/api/staff/staff.css", "text/css")]
    [InlineData("/api/staff/jsQR.js", "text/javascript")]
    [InlineData("/api/staff/sw.js", "text/javascript")]
    public async Task The_staff_page_and_its_scripts_are_served_by_the_app_without_a_key(string path, string mediaType)
    {
        var response = await _anonymous.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.ETag);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());

        using var revalidation = new HttpRequestMessage(HttpMethod.Get, path);
        revalidation.Headers.IfNoneMatch.Add(response.Headers.ETag);
        Assert.Equal(HttpStatusCode.NotModified, (await _anonymous.SendAsync(revalidation)).StatusCode);
    }

    [Fact]
    public async Task The_page_allows_scripts_only_from_the_app()
    {
        var response = await _anonymous.GetAsync("/api/staff");
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        var html = await response.Content.ReadAsStringAsync();

        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("http", html.Replace("http-equiv", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_vendored_browser_libraries_are_the_pinned_npm_files()
    {
        (string Vendored, string Npm)[] files =
        [
            ("jsQR.js", "node_modules/jsqr/dist/jsQR.js"),
            ("LICENSE.jsqr.txt", "node_modules/jsqr/LICENSE"),
            ("qrcode.js", "node_modules/qrcode-generator/dist/qrcode.js"),
        ];
        foreach (var (vendored, npm) in files)
        {
            var copy = await File.ReadAllBytesAsync(RepositoryPaths.Combine("src", "WalletPasses", "Web", "vendor", vendored));
            var original = await File.ReadAllBytesAsync(RepositoryPaths.Combine(npm.Split('/')));
            Assert.True(copy.SequenceEqual(original), $"{vendored} differs from {npm}: run 'npm run vendor'.");
        }

        var served = await _anonymous.GetByteArrayAsync("/api/staff/jsQR.js");
        Assert.Equal(await File.ReadAllBytesAsync(RepositoryPaths.Combine("node_modules", "jsqr", "dist", "jsQR.js")), served);
    }

    [Fact]
    public async Task The_barcode_public_key_verifies_tokens_without_the_private_key()
    {
        var tokens = app.Factory.Services.GetRequiredService<BarcodeTokens>();
        var token = tokens.Issue(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), "default", DateTimeOffset.UtcNow);

        var response = await _anonymous.GetAsync("/api/barcode-keys");
        var key = Assert.Single((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("keys").EnumerateArray());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(tokens.KeyId, key.GetProperty("kid").GetString());
        Assert.Equal("EC", key.GetProperty("kty").GetString());
        Assert.Equal("P-256", key.GetProperty("crv").GetString());
        Assert.Equal(Convert.ToBase64String(tokens.PublicKeySpki), key.GetProperty("spki").GetString());
        using var verifier = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = System.Buffers.Text.Base64Url.DecodeFromChars(key.GetProperty("x").GetString()), Y = System.Buffers.Text.Base64Url.DecodeFromChars(key.GetProperty("y").GetString()) },
        });
        var dot = token.LastIndexOf('.');
        Assert.True(verifier.VerifyData(System.Text.Encoding.ASCII.GetBytes(token[..dot]), System.Buffers.Text.Base64Url.DecodeFromChars(token.AsSpan(dot + 1)), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    [Fact]
    public async Task Staff_me_names_the_key_and_needs_one()
    {
        Assert.Equal("tests", (await app.Factory.CreateStaffClient().GetFromJsonAsync<JsonElement>("/api/staff/me")).GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await _anonymous.GetAsync("/api/staff/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Factory.CreateBackendClient().GetAsync("/api/staff/me")).StatusCode);
    }

    [Theory]
    [InlineData("/api/demo")]
    [InlineData("/api/demo/demo.js")]
    public async Task The_demo_page_does_not_exist_outside_development(string path)
    {
        var response = await _anonymous.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _anonymous.PostAsync("/api/demo/members", null)).StatusCode);
    }
}
