using System.IO.Compression;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace WalletPasses.Tests.Infrastructure;

/// <summary>
/// A downloaded .pkpass opened the way Wallet would: every file by name, pass.json parsed, and refused as Wallet refuses
/// it (<see cref="Verify"/>) unless <c>verify</c> is false (a test of the builder with a stand-in signer).
/// </summary>
public sealed class PkPass
{
    private const string UidOid = "0.9.2342.19200300.100.1.1";
    private const string OrganizationalUnitOid = "2.5.4.11";

    public PkPass(byte[] content, bool verify = true)
    {
        using var zip = new ZipArchive(new MemoryStream(content), ZipArchiveMode.Read);
        Files = zip.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var stream = e.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        });
        PassJson = JsonDocument.Parse(Files["pass.json"]).RootElement.Clone();
        Manifest = JsonSerializer.Deserialize<Dictionary<string, string>>(Files["manifest.json"])!;
        if (verify)
        {
            Verify();
        }
    }

    public IReadOnlyDictionary<string, byte[]> Files { get; }

    public JsonElement PassJson { get; }

    public IReadOnlyDictionary<string, string> Manifest { get; }

    public JsonElement Field(string section, string key) =>
        PassJson.GetProperty("storeCard").GetProperty(section).EnumerateArray().Single(f => f.GetProperty("key").GetString() == key);

    /// <summary>The strings of one language's pass.strings.</summary>
    public IReadOnlyDictionary<string, string> Strings(string language)
    {
        var text = System.Text.Encoding.UTF8.GetString(Files[$"{language}.lproj/pass.strings"]);
        var strings = new Dictionary<string, string>();
        foreach (System.Text.RegularExpressions.Match match in System.Text.RegularExpressions.Regex.Matches(text, "^\"((?:[^\"\\\\]|\\\\.)*)\" = \"((?:[^\"\\\\]|\\\\.)*)\";$", System.Text.RegularExpressions.RegexOptions.Multiline))
        {
            strings[Unescape(match.Groups[1].Value)] = Unescape(match.Groups[2].Value);
        }

        return strings;
    }

    /// <summary>
    /// What a device checks before it adds a pass, with the messages it logs when a check fails ("Invalid data error
    /// reading pass ... Manifest signature did not verify successfully"; "The passTypeIdentifier or teamIdentifier provided
    /// may not match your certificate, or the certificate trust chain could not be verified", as devices report them in
    /// jpasskit#369 and dotnet-passbook#52). Apple, "Building a pass": the manifest lists every file of the pass with its
    /// SHA-1; "Signing a pass": a detached PKCS #7 signature of manifest.json by the Pass Type ID certificate, with the WWDR
    /// intermediate and a signing time. The chain is checked now (a device adds or updates the pass now) against the test
    /// PKI's root.
    /// </summary>
    private void Verify()
    {
        VerifyPassJson();
        var listed = Files.Keys.Where(name => name is not "manifest.json" and not "signature").Order(StringComparer.Ordinal);
        if (!listed.SequenceEqual(Manifest.Keys.Order(StringComparer.Ordinal)))
        {
            throw new InvalidDataException($"Invalid pass: the manifest lists [{string.Join(", ", Manifest.Keys)}] but the pass holds [{string.Join(", ", listed)}].");
        }

#pragma warning disable CA5350 // the manifest format is SHA-1
        if (Manifest.FirstOrDefault(entry => entry.Value != Convert.ToHexStringLower(SHA1.HashData(Files[entry.Key]))) is { Key: { } mismatched })
#pragma warning restore CA5350
        {
            throw new InvalidDataException($"Invalid pass: the manifest's SHA-1 of '{mismatched}' is not the file's.");
        }

        var cms = new SignedCms(new ContentInfo(Files["manifest.json"]), detached: true);
        try
        {
            cms.Decode(Files["signature"]);
            cms.CheckSignature(verifySignatureOnly: true);
        }
        catch (CryptographicException e)
        {
            throw new InvalidDataException("Invalid pass: manifest signature did not verify successfully.", e);
        }

        var signer = cms.SignerInfos.Count == 1 && cms.SignerInfos[0].Certificate is { } certificate ? certificate : throw new InvalidDataException("Invalid pass: the signature has no single signer certificate.");
        if (!cms.SignerInfos[0].SignedAttributes.Cast<CryptographicAttributeObject>().SelectMany(attribute => attribute.Values.Cast<AsnEncodedData>()).OfType<Pkcs9SigningTime>().Any())
        {
            throw new InvalidDataException("Invalid pass: the signature has no signing time.");
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(TestCertificates.Certificates.Root);
        chain.ChainPolicy.ExtraStore.AddRange(cms.Certificates); // the WWDR intermediate must travel in the signature
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (!chain.Build(signer)
            || RdnValue(signer, UidOid) != PassJson.GetProperty("passTypeIdentifier").GetString()
            || RdnValue(signer, OrganizationalUnitOid) != PassJson.GetProperty("teamIdentifier").GetString())
        {
            throw new InvalidDataException(
                $"Invalid pass: the passTypeIdentifier or teamIdentifier provided may not match the certificate ({signer.Subject}), or the certificate trust chain could not be verified ({string.Join(", ", chain.ChainStatus.Select(status => status.StatusInformation))}).");
        }
    }

    /// <summary>
    /// What Apple's references require of the bundle and its pass.json before a device adds it. "Pass"
    /// (https://developer.apple.com/documentation/walletpasses/pass): description, formatVersion ("The value must be 1"),
    /// organizationName, passTypeIdentifier, serialNumber and teamIdentifier are required; authenticationToken, required
    /// with webServiceURL, "must be 16 characters or longer"; one pass style dictionary. "PassFieldContent": a field's key
    /// "must be unique within the scope of the entire pass" (each style dictionary is one layout of the pass: Apple's poster
    /// example repeats the fallback style's keys). PassKit Package Format Reference, "Package Structure": the bundle holds
    /// icon.png (devices refuse a pass without its icon).
    /// </summary>
    private void VerifyPassJson()
    {
        if (PassJson.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException("Invalid pass: pass.json is not a JSON object.");
        }

        string[] required = ["description", "organizationName", "passTypeIdentifier", "serialNumber", "teamIdentifier"];
        if (required.FirstOrDefault(key => !PassJson.TryGetProperty(key, out var value) || value.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(value.GetString())) is { } missing)
        {
            throw new InvalidDataException($"Invalid pass: the required key {missing} is missing or not a string.");
        }

        if (!PassJson.TryGetProperty("formatVersion", out var version) || version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out var number) || number != 1)
        {
            throw new InvalidDataException("Invalid pass: formatVersion is not 1.");
        }

        if (PassJson.TryGetProperty("webServiceURL", out _)
            && !(PassJson.TryGetProperty("authenticationToken", out var token) && token.ValueKind == JsonValueKind.String && token.GetString()!.Length >= 16))
        {
            throw new InvalidDataException("Invalid pass: a pass with webServiceURL needs an authenticationToken of 16 characters or more.");
        }

        string[] styles = ["boardingPass", "coupon", "eventTicket", "generic", "storeCard"];
        if (styles.Count(style => PassJson.TryGetProperty(style, out _)) != 1)
        {
            throw new InvalidDataException("Invalid pass: pass.json needs exactly one pass style.");
        }

        foreach (var style in PassJson.EnumerateObject().Where(property => property.Value.ValueKind == JsonValueKind.Object && (styles.Contains(property.Name) || property.Name == "posterGeneric")))
        {
            var keys = style.Value.EnumerateObject().Where(set => set.Name.EndsWith("Fields", StringComparison.Ordinal) && set.Value.ValueKind == JsonValueKind.Array)
                .SelectMany(set => set.Value.EnumerateArray()).Select(field => field.TryGetProperty("key", out var key) ? key.GetString() : null).ToArray();
            if (keys.Any(key => string.IsNullOrEmpty(key)) || keys.Distinct(StringComparer.Ordinal).Count() != keys.Length)
            {
                throw new InvalidDataException($"Invalid pass: a field of {style.Name} has no key or a key another field has.");
            }
        }

        if (!Files.ContainsKey("icon.png"))
        {
            throw new InvalidDataException("Invalid pass: the pass has no icon.png.");
        }
    }

    private static string? RdnValue(X509Certificate2 certificate, string oid) =>
        certificate.SubjectName.EnumerateRelativeDistinguishedNames().FirstOrDefault(rdn => rdn.GetSingleElementType().Value == oid)?.GetSingleElementValue();

    private static string Unescape(string value) => value.Replace("\\n", "\n").Replace("\\\"", "\"").Replace("\\\\", "\\");
}
