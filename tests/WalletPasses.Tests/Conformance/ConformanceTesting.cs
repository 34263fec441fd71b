using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using WalletPasses.Google;
using WalletPasses.Templates;
using WalletPasses.Conformance;
using WalletPasses.Tests.Google;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Conformance;

/// <summary>The default template and a conformance context with the real Google builders, no storage and no network.</summary>
public static class ConformanceTesting
{
    public static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private static readonly Lazy<string> ServiceAccountKeyFile = new(WriteServiceAccountKeyFile);

    public static ProgramTemplate Template => DefaultTemplate.Template();

    /// <summary>A copy of the default images, to change one.</summary>
    public static Dictionary<string, byte[]> Images() => new(DefaultTemplate.Images(), StringComparer.Ordinal);

    /// <param name="origins">The save JWT's origins (Google's JWT reference: web origins allowed to show the save button).</param>
    public static TemplateConformanceContext Context(IEnumerable<string>? origins = null, string publicBaseUrl = "https://wallet.example.com")
    {
        var appOptions = Options.Create(new WalletPassesOptions { PublicBaseUrl = publicBaseUrl, ProgramId = "default" });
        var googleOptions = new GoogleWalletOptions { IssuerId = GoogleWalletTestData.IssuerId, ServiceAccountKeyFile = ServiceAccountKeyFile.Value };
        foreach (var origin in origins ?? ["https://shop.example.com"])
        {
            googleOptions.Origins.Add(origin);
        }

        return new TemplateConformanceContext
        {
            BaseUri = appOptions.Value.BaseUri,
            Google = new GooglePassContent(new GoogleWalletFeature(GoogleWalletTestData.IssuerId), new TemplateImageUrls(appOptions), appOptions),
            SaveLinks = new SaveJwtBuilder(GoogleServiceAccountKey.Load(ServiceAccountKeyFile.Value), Options.Create(googleOptions), new ManualTimeProvider(Now)),
            Now = Now,
        };
    }

    public static ConformanceReport Check(ProgramTemplate template, IReadOnlyDictionary<string, byte[]>? images = null, TemplateConformanceContext? context = null) =>
        TemplateConformance.Check(template, images ?? Images(), context ?? Context());

    /// <summary>The template with one string set (or removed, with null) in one language.</summary>
    public static ProgramTemplate WithString(this ProgramTemplate template, string language, string key, string? text)
    {
        var strings = template.Strings.ToDictionary(l => l.Key, l => new Dictionary<string, string>(l.Value, StringComparer.Ordinal), StringComparer.Ordinal);
        if (text is null)
        {
            strings[language].Remove(key);
        }
        else
        {
            strings[language][key] = text;
        }

        return template with { Strings = strings.ToDictionary(l => l.Key, IReadOnlyDictionary<string, string> (l) => l.Value, StringComparer.Ordinal) };
    }

    public static ProgramTemplate WithTier(this ProgramTemplate template, string tierId, Func<TierTemplate, TierTemplate> change) =>
        template with { Tiers = template.Tiers.Select(tier => tier.Id == tierId ? change(tier) : tier).ToArray() };

    /// <summary>A PNG header (signature and IHDR) of the given size: enough for every size rule, which reads only the header.</summary>
    public static byte[] PngOfSize(int width, int height, int padding = 0)
    {
        var bytes = new byte[33 + padding];
        new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R' }.CopyTo(bytes, 0);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(16), width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(20), height);
        bytes[24] = 8; // bit depth
        bytes[25] = 6; // RGBA
        return bytes;
    }

    /// <summary>A service-account key file as Google's console downloads it (the fields GoogleWalletFake writes too).</summary>
    private static string WriteServiceAccountKeyFile()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var key = new JsonObject
        {
            ["type"] = "service_account",
            ["project_id"] = "walletpasses-test",
            ["private_key_id"] = "0123456789abcdef0123456789abcdef01234567",
            ["private_key"] = rsa.ExportPkcs8PrivateKeyPem() + "\n",
            ["client_email"] = GoogleWalletFake.ServiceAccountEmail,
            ["client_id"] = "100000000000000000001",
            ["token_uri"] = "https://oauth2.googleapis.com/token",
        };
        var path = Path.Combine(TestCertificates.NewFolder(), "service-account.json");
        File.WriteAllText(path, key.ToJsonString());
        return path;
    }
}
