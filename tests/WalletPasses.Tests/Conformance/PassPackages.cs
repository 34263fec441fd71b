using System.IO.Compression;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using WalletPasses.Apple;
using WalletPasses.Templates;
using WalletPasses.Tests.Apple;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Conformance;

/// <summary>
/// .pkpass files to check: one our app makes (the real PkPassBuilder and PassSigner with the test certificates), and
/// the same files repacked as another generator would (deflated, in another order, signed with SignedCms as Apple's
/// "Building a Pass" describes: a detached PKCS #7 signature of manifest.json with the WWDR certificate included).
/// </summary>
public static class PassPackages
{
    /// <summary>A pass the app makes for the default template (gold tier, with a referral link).</summary>
    public static byte[] Ours(ProgramTemplate? template = null)
    {
        using var certificates = PassCertificates.Load(
            new AppleOptions { CertificateFile = TestCertificates.Files.PassCertificate, CertificatePassword = TestCertificates.Password, WwdrCertificateFile = TestCertificates.Files.Wwdr },
            TimeProvider.System);
        var assets = AppleTemplateAssets.Create(template ?? DefaultTemplate.Template(), DefaultTemplate.Images());
        return new PkPassBuilder(new PassSigner(certificates)).Build(assets, PkPassBuilderTests.Content(), DateTimeOffset.UtcNow).ToArray();
    }

    public static Dictionary<string, byte[]> Files(byte[] pkpass)
    {
        using var zip = new ZipArchive(new MemoryStream(pkpass), ZipArchiveMode.Read);
        return zip.Entries.ToDictionary(entry => entry.FullName, entry =>
        {
            using var stream = entry.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }, StringComparer.Ordinal);
    }

    /// <summary>Zips the files as given (deflated, signature and manifest first, the rest in reverse order), without signing anything.</summary>
    public static byte[] Zip(IReadOnlyDictionary<string, byte[]> files)
    {
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in files.OrderBy(file => file.Key is "signature" or "manifest.json" ? 0 : 1).ThenByDescending(file => file.Key, StringComparer.Ordinal))
            {
                using var stream = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
                stream.Write(content);
            }
        }

        return output.ToArray();
    }

    /// <summary>
    /// The files with a new manifest.json and a signature by <paramref name="signer"/> (default: the test pass certificate),
    /// its issuer included unless <paramref name="includeIssuer"/> is false.
    /// </summary>
    public static byte[] SignAndZip(IDictionary<string, byte[]> files, X509Certificate2? signer = null, X509Certificate2? issuer = null, bool includeIssuer = true)
    {
        files.Remove("manifest.json");
        files.Remove("signature");
        var manifest = new JsonObject();
        foreach (var (name, content) in files.OrderBy(file => file.Key, StringComparer.Ordinal))
        {
#pragma warning disable CA5350 // the manifest format is SHA-1
            manifest[name] = Convert.ToHexStringLower(SHA1.HashData(content));
#pragma warning restore CA5350
        }

        var manifestBytes = System.Text.Encoding.UTF8.GetBytes(manifest.ToJsonString());
        files["manifest.json"] = manifestBytes;
        var cms = new SignedCms(new ContentInfo(manifestBytes), detached: true);
        var cmsSigner = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, signer ?? TestCertificates.Certificates.Pass) { IncludeOption = X509IncludeOption.EndCertOnly };
        if (includeIssuer)
        {
            cmsSigner.Certificates.Add(issuer ?? TestCertificates.Certificates.Wwdr);
        }

        cmsSigner.SignedAttributes.Add(new Pkcs9SigningTime(DateTime.UtcNow));
        cms.ComputeSignature(cmsSigner);
        files["signature"] = cms.Encode();
        return Zip(new Dictionary<string, byte[]>(files));
    }

    /// <summary>The pass.json of the files, changed and written back.</summary>
    public static Dictionary<string, byte[]> WithPassJson(this Dictionary<string, byte[]> files, Action<JsonObject> change)
    {
        var pass = JsonNode.Parse(files["pass.json"])!.AsObject();
        change(pass);
        files["pass.json"] = System.Text.Encoding.UTF8.GetBytes(pass.ToJsonString());
        return files;
    }

    /// <summary>Development roots of the test certificates, as the checker's --root option loads them.</summary>
    public static X509Certificate2[] TestRoots => [TestCertificates.Certificates.Root];
}
