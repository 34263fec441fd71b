using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WalletPasses.Google;

namespace WalletPasses.Tests.Google;

public sealed class SaveJwtBuilderTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset LinkExpiresAt = Now.AddDays(30);

    private GoogleWalletFake _fake = null!;
    private string _keyFile = null!;

    public async Task InitializeAsync()
    {
        _fake = await GoogleWalletFake.StartAsync();
        _keyFile = _fake.WriteServiceAccountKeyFile();
    }

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public void Builds_a_save_url_with_an_rs256_jwt_naming_only_the_object_and_its_class()
    {
        var objectId = GoogleWalletTestData.ObjectIdFor("m-42");

        var saveUrl = CreateBuilder(origins: ["https://shop.example", "https://wallet.example.com"])
            .CreateSaveUrl(objectId, GoogleWalletTestData.ClassId, LinkExpiresAt);

        var jwt = JwtOf(saveUrl);
        var parts = jwt.Split('.');
        Assert.Equal(3, parts.Length);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"alg":"RS256","typ":"JWT"}"""), Decode(parts[0])));
        var expectedClaims = new JsonObject
        {
            ["iss"] = GoogleWalletFake.ServiceAccountEmail,
            ["aud"] = "google",
            ["typ"] = "savetowallet",
            ["iat"] = Now.ToUnixTimeSeconds(),
            ["exp"] = LinkExpiresAt.ToUnixTimeSeconds(),
            ["origins"] = new JsonArray("https://shop.example", "https://wallet.example.com"),
            ["payload"] = new JsonObject
            {
                ["loyaltyObjects"] = new JsonArray(new JsonObject { ["id"] = objectId, ["classId"] = GoogleWalletTestData.ClassId }),
            },
        };
        Assert.True(JsonNode.DeepEquals(expectedClaims, Decode(parts[1])), Decode(parts[1]).ToJsonString());
        using var publicKey = PublicKeyOfKeyFile();
        Assert.True(publicKey.VerifyData(
            Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.DecodeFromChars(parts[2]),
            HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [Fact]
    public void A_tampered_jwt_no_longer_verifies()
    {
        var parts = JwtOf(CreateBuilder(origins: []).CreateSaveUrl(GoogleWalletTestData.ObjectIdFor("m-42"), GoogleWalletTestData.ClassId, LinkExpiresAt)).Split('.');
        var otherClaims = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Decode(parts[1]).ToJsonString().Replace("m-42", "m-43", StringComparison.Ordinal)));

        using var publicKey = PublicKeyOfKeyFile();
        Assert.False(publicKey.VerifyData(
            Encoding.ASCII.GetBytes(parts[0] + "." + otherClaims), Base64Url.DecodeFromChars(parts[2]),
            HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [Fact]
    public void Leaves_out_origins_when_none_are_configured()
    {
        var claims = Decode(JwtOf(CreateBuilder(origins: []).CreateSaveUrl(GoogleWalletTestData.ObjectIdFor("m-42"), GoogleWalletTestData.ClassId, LinkExpiresAt)).Split('.')[1]);

        Assert.False(claims.AsObject().ContainsKey("origins"));
    }

    [Fact]
    public void Stays_under_1800_characters_for_a_realistic_object()
    {
        var objectId = $"{GoogleWalletTestData.IssuerId}.member-{Guid.NewGuid()}";

        var saveUrl = CreateBuilder(origins: ["https://wallet.example.com"]).CreateSaveUrl(objectId, GoogleWalletTestData.ClassId, LinkExpiresAt);

        Assert.True(saveUrl.AbsoluteUri.Length < 1800, $"The save URL has {saveUrl.AbsoluteUri.Length} characters.");
    }

    [Fact]
    public void Is_registered_by_AddGoogleWalletClient()
    {
        using var services = new ServiceCollection()
            .AddGoogleWalletClient(options =>
            {
                options.IssuerId = GoogleWalletTestData.IssuerId;
                options.ServiceAccountKeyFile = _keyFile;
            })
            .BuildServiceProvider();

        var saveUrl = services.GetRequiredService<SaveJwtBuilder>().CreateSaveUrl(GoogleWalletTestData.ObjectIdFor("m-42"), GoogleWalletTestData.ClassId, LinkExpiresAt);

        Assert.StartsWith("https://pay.google.com/gp/v/save/ey", saveUrl.AbsoluteUri, StringComparison.Ordinal);
    }

    private SaveJwtBuilder CreateBuilder(string[] origins)
    {
        var options = new GoogleWalletOptions { IssuerId = GoogleWalletTestData.IssuerId, ServiceAccountKeyFile = _keyFile };
        foreach (var origin in origins)
        {
            options.Origins.Add(origin);
        }

        return new SaveJwtBuilder(GoogleServiceAccountKey.Load(_keyFile), Options.Create(options), new ManualTimeProvider(Now));
    }

    private RSA PublicKeyOfKeyFile()
    {
        using var keyFile = JsonDocument.Parse(File.ReadAllText(_keyFile));
        using var privateKey = RSA.Create();
        privateKey.ImportFromPem(keyFile.RootElement.GetProperty("private_key").GetString());
        var publicKey = RSA.Create();
        publicKey.ImportSubjectPublicKeyInfo(privateKey.ExportSubjectPublicKeyInfo(), out _);
        return publicKey;
    }

    private static string JwtOf(Uri saveUrl)
    {
        Assert.StartsWith(SaveJwtBuilder.SaveUrlPrefix, saveUrl.AbsoluteUri, StringComparison.Ordinal);
        return saveUrl.AbsoluteUri[SaveJwtBuilder.SaveUrlPrefix.Length..];
    }

    private static JsonNode Decode(string base64UrlJson) => JsonNode.Parse(Base64Url.DecodeFromChars(base64UrlJson))!;
}
