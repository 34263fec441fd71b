using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using NSubstitute;
using WalletPasses.Apple;
using WalletPasses.Security;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Security;

/// <summary>
/// Start-up in Production refuses development material in any form, with a message that says what to fix
/// and never echoes the secret. The certificates here come from the test PKI (what 'init-dev' makes), so
/// every Production start in this class is also refused for them: Apple's real ones cannot exist in a test.
/// </summary>
public sealed class ProductionRefusalTests
{
    private static readonly IHostEnvironment Production = Environment(Environments.Production);

    private static IHostEnvironment Environment(string name)
    {
        var environment = Substitute.For<IHostEnvironment>();
        environment.EnvironmentName.Returns(name);
        return environment;
    }

    public static TheoryData<string, string> BadApiKeys => new()
    {
        { "sha256:" + Convert.ToHexStringLower(SHA256.HashData("dev-backend-key"u8)), "development-only key" },
        { "SHA256:" + Convert.ToHexString(SHA256.HashData("dev-staff-key"u8)), "development-only key" },
        { "dev-staff-key", "development-only key" },
        { "short-but-12-plus-chars", "shorter than 32 characters" },
        { new string('a', 40), "too predictable" },
    };

    [Theory]
    [MemberData(nameof(BadApiKeys))]
    public void Production_refuses_development_short_or_predictable_API_keys_in_either_form(string configured, string expectedMessage)
    {
        var options = new ApiKeyOptions { Backend = { ["ci"] = configured } };

        var result = new ApiKeyOptionsValidator(Production).Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("WalletPasses:ApiKeys:Backend:ci", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains(expectedMessage, result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain(configured, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Production_accepts_a_random_key_and_the_hash_of_one()
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var options = new ApiKeyOptions { Backend = { ["clear"] = key }, Staff = { ["hashed"] = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(RandomNumberGenerator.GetBytes(32))) } };

        Assert.True(new ApiKeyOptionsValidator(Production).Validate(null, options).Succeeded);
    }

    [Fact]
    public void Production_refuses_a_predictable_signing_secret()
    {
        var options = new WalletPassesOptions { PublicBaseUrl = "https://wallet.example.com", SigningSecret = new string('a', 40) };

        var result = new WalletPassesOptionsValidator(Production).Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("WalletPasses:SigningSecret is too predictable", result.FailureMessage, StringComparison.Ordinal);
        Assert.True(new WalletPassesOptionsValidator(Production).Validate(null, new WalletPassesOptions { PublicBaseUrl = "https://wallet.example.com", SigningSecret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) }).Succeeded);
    }

    /// <summary>
    /// Apple settings are checked while the app builds its services, so a refused one stops start-up. Checked on the
    /// validator the app registers: a start-up that fails races the host's disposal on a loaded test run.
    /// </summary>
    [Theory]
    [InlineData(AppleProductionOptionsValidator.DevelopmentPassword, "CertificatePassword is the development password")]
    [InlineData(null, "not issued by Apple's WWDR under Apple Root CA")]
    public async Task Production_refuses_development_certificates_or_their_password(string? password, string expectedMessage)
    {
        var files = TestCertificates.Files;
        var options = new WalletPasses.Apple.AppleOptions
        {
            CertificateFile = files.PassCertificate,
            CertificatePassword = password ?? TestCertificates.Password,
            WwdrCertificateFile = files.Wwdr,
        };
        await using var factory = new WalletPassesFactory((await AzuriteServer.Shared).ConnectionString, environment: Environments.Staging);
        Assert.Contains(factory.Services.GetServices<IValidateOptions<WalletPasses.Apple.AppleOptions>>(), validator => validator is AppleProductionOptionsValidator);

        using var loader = new PassCertificateLoader(TimeProvider.System);
        var result = new AppleProductionOptionsValidator(Production, loader).Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(expectedMessage, result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain(AppleProductionOptionsValidator.DevelopmentPassword, result.FailureMessage, StringComparison.Ordinal);
    }

    /// <summary>
    /// Apple, "Handling notification responses from APNs", BadDeviceToken: "Verify that the request contains a valid token
    /// and that the token matches the environment". Wallet's tokens are production ones, so the sandbox answers each push
    /// BadDeviceToken and the registration is removed; a development machine only gets the start-up warning.
    /// </summary>
    [Theory]
    [InlineData("https://api.sandbox.push.apple.com", true)]
    [InlineData("https://API.SANDBOX.PUSH.APPLE.COM:2197", true)]
    [InlineData("https://api.push.apple.com", false)]
    public void Production_refuses_Apples_APNs_sandbox(string apnsBaseUrl, bool refused)
    {
        var options = new WalletPasses.Apple.AppleOptions { ApnsBaseUrl = new Uri(apnsBaseUrl) };
        using var loader = new PassCertificateLoader(TimeProvider.System);

        var production = new AppleProductionOptionsValidator(Production, loader).Validate(null, options);
        var staging = new AppleProductionOptionsValidator(Environment(Environments.Staging), loader).Validate(null, options);

        Assert.Equal(refused, production.Failed && production.FailureMessage.Contains("ApnsBaseUrl is Apple's sandbox", StringComparison.Ordinal));
        Assert.True(staging.Succeeded);
    }

    [Fact]
    public async Task Outside_Production_the_same_test_material_starts()
    {
        var azurite = await AzuriteServer.Shared;
        await using var factory = new WalletPassesFactory(azurite.ConnectionString, environment: Environments.Staging);

        using var client = factory.CreateClient();

        Assert.True((await client.GetAsync(new Uri("/api/health", UriKind.Relative))).IsSuccessStatusCode);
    }

    [Fact]
    public void A_chain_is_Apple_issued_only_through_the_given_WWDR_to_the_given_root()
    {
        var development = TestCertificates.Certificates;

        Assert.False(AppleProductionOptionsValidator.IsIssuedByApple(development.Pass, development.Wwdr, AppleProductionOptionsValidator.AppleRootCertificate));
        Assert.True(AppleProductionOptionsValidator.IsIssuedByApple(development.Pass, development.Wwdr, development.Root)); // the check itself accepts a real chain
    }

    [Fact]
    public void The_embedded_root_is_Apple_Root_CA_by_the_fingerprint_Apple_publishes()
    {
        // https://www.apple.com/certificateauthority/ lists "Apple Inc. Root" with this SHA-256 fingerprint.
        Assert.Equal(
            "B0B1730ECBC7FF4505142C49F1295E6EDA6BCAED7E2C68C5BE91B5A11001F024",
            Convert.ToHexString(SHA256.HashData(AppleProductionOptionsValidator.AppleRootCertificate.RawData)));
    }

    [Fact]
    public void The_refused_development_password_is_the_one_the_example_settings_document()
    {
        using var example = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Combine("local.settings.example.json")));

        Assert.Equal(AppleProductionOptionsValidator.DevelopmentPassword, example.RootElement.GetProperty("Values").GetProperty("WalletPasses__Apple__CertificatePassword").GetString());
    }

    [Theory]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", true)]
    [InlineData("passwordpasswordpasswordpassword", true)]
    [InlineData("Zr3q8XbL0vN2mK7tW5yH1cJ9fD4sA6gE", false)]
    public void Secret_strength_tells_a_placeholder_from_a_random_value(string secret, bool weak) =>
        Assert.Equal(weak, SecretStrength.IsWeak(secret));

    [Fact]
    public void Random_keys_as_the_README_generates_them_are_strong_enough()
    {
        for (var i = 0; i < 1000; i++)
        {
            var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            Assert.False(SecretStrength.IsWeak(key), key);
        }
    }
}
