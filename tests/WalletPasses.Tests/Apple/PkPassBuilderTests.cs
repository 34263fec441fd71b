using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using NSubstitute;
using WalletPasses.Apple;
using WalletPasses.Templates;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Apple;

public sealed class PkPassBuilderTests
{
    private static readonly AppleTemplateAssets Assets = AppleTemplateAssets.Create(DefaultTemplate.Template(), DefaultTemplate.Images());
    private static readonly DateTimeOffset SigningTime = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    public static PassContent Content(string tier = "gold") => new()
    {
        SerialNumber = "0123456789abcdef0123456789abcdef",
        AuthenticationToken = "token-that-is-long-enough-for-apple-0123456789",
        WebServiceUrl = new Uri("https://wallet.test/api/passkit"),
        BarcodeMessage = "WP1.payload.signature",
        DisplayName = "Jane Doe",
        Points = 1250,
        TierId = tier,
        ReferralUrl = "https://shop.example/r/JANE10",
    };

    [Fact]
    public void Every_file_in_the_pass_is_listed_in_the_manifest_with_its_SHA1()
    {
        using var signer = new TestSigner();
        var pass = new PkPass(new PkPassBuilder(signer).Build(Assets, Content(), SigningTime).ToArray());

        var hashed = pass.Files.Keys.Where(name => name is not "manifest.json" and not "signature").Order().ToArray();
        Assert.Equal(hashed, pass.Manifest.Keys.Order().ToArray());
        foreach (var name in hashed)
        {
#pragma warning disable CA5350 // the manifest format is SHA-1
            Assert.Equal(Convert.ToHexStringLower(SHA1.HashData(pass.Files[name])), pass.Manifest[name]);
#pragma warning restore CA5350
        }

        Assert.Contains("icon.png", hashed);
        Assert.Contains("strip@3x.png", hashed);
        Assert.Contains("de.lproj/pass.strings", hashed);
    }

    [Fact]
    public void The_tier_decides_which_strip_the_pass_carries()
    {
        using var signer = new TestSigner();
        var images = DefaultTemplate.Images();
        var gold = new PkPass(new PkPassBuilder(signer).Build(Assets, Content("gold"), SigningTime).ToArray());
        var silver = new PkPass(new PkPassBuilder(signer).Build(Assets, Content("silver"), SigningTime).ToArray());

        Assert.Equal(images["strip-gold@2x.png"], gold.Files["strip@2x.png"]);
        Assert.Equal(images["strip-silver@2x.png"], silver.Files["strip@2x.png"]);
    }

    [Fact]
    public void The_signer_is_given_exactly_the_manifest_in_the_pass_and_its_pass_type()
    {
        var signer = Substitute.For<IPassSigner>();
        signer.Sign(Arg.Any<byte[]>(), Arg.Any<DateTimeOffset>(), Arg.Any<string>()).Returns([1, 2, 3]);

        var pass = new PkPass(new PkPassBuilder(signer).Build(Assets, Content(), SigningTime).ToArray(), verify: false); // a stand-in signature

        var manifest = pass.Files["manifest.json"];
        signer.Received(1).Sign(Arg.Is<byte[]>(m => m.SequenceEqual(manifest)), SigningTime, Assets.Template.PassTypeIdentifier); // the program's certificate signs
        Assert.Equal([1, 2, 3], pass.Files["signature"]);
    }

    [Fact]
    public void The_signature_verifies_against_the_root_with_SignedCms_and_carries_the_WWDR_certificate_and_signing_time()
    {
        using var signer = new TestSigner();
        var pass = new PkPass(new PkPassBuilder(signer).Build(Assets, Content(), SigningTime).ToArray());

        var cms = new SignedCms(new ContentInfo(pass.Files["manifest.json"]), detached: true);
        cms.Decode(pass.Files["signature"]);
        cms.CheckSignature(verifySignatureOnly: true);

        var signerInfo = Assert.Single(cms.SignerInfos.Cast<SignerInfo>());
        Assert.Equal(TestCertificates.Certificates.Pass.Thumbprint, signerInfo.Certificate!.Thumbprint);
        Assert.Contains(cms.Certificates.Cast<X509Certificate2>(), c => c.Thumbprint == TestCertificates.Certificates.Wwdr.Thumbprint);
        var signingTime = signerInfo.SignedAttributes.Cast<CryptographicAttributeObject>()
            .SelectMany(a => a.Values.Cast<AsnEncodedData>()).OfType<Pkcs9SigningTime>().Single();
        Assert.Equal(SigningTime.UtcDateTime, signingTime.SigningTime);

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(TestCertificates.Certificates.Root);
        chain.ChainPolicy.ExtraStore.AddRange(cms.Certificates);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.True(chain.Build(signerInfo.Certificate), string.Join(", ", chain.ChainStatus.Select(s => s.StatusInformation)));
    }

    [Fact]
    public void The_signature_verifies_with_openssl_cms()
    {
        using var signer = new TestSigner();
        var pass = new PkPass(new PkPassBuilder(signer).Build(Assets, Content(), SigningTime).ToArray());

        var (exitCode, output) = OpenSsl.VerifyDetachedSignature(pass.Files["signature"], pass.Files["manifest.json"], TestCertificates.Certificates.Root.ExportCertificatePem());
        Assert.True(exitCode == 0, output);

        var tampered = pass.Files["manifest.json"].ToArray();
        tampered[5] ^= 1;
        Assert.NotEqual(0, OpenSsl.VerifyDetachedSignature(pass.Files["signature"], tampered, TestCertificates.Certificates.Root.ExportCertificatePem()).ExitCode);
    }

    [Fact]
    public void The_zip_is_readable_by_unzip_tools_with_stored_entries()
    {
        using var signer = new TestSigner();
        var content = new PkPassBuilder(signer).Build(Assets, Content(), SigningTime).ToArray();
        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(content));

        Assert.All(zip.Entries, entry => Assert.Equal(entry.Length, entry.CompressedLength));
        Assert.Contains(zip.Entries, e => e.FullName == "pass.json");
        Assert.Equal(SigningTime.UtcDateTime.Date, zip.Entries[0].LastWriteTime.Date);
    }

    /// <summary>
    /// The tests' Wallet (<see cref="PkPass"/>, which every downloaded pass goes through) refuses what a device refuses:
    /// a file the manifest does not list, a file whose SHA-1 is not the manifest's, and a pass signed by the certificate
    /// of another pass type ("The passTypeIdentifier or teamIdentifier provided may not match your certificate").
    /// </summary>
    [Fact]
    public void The_tests_Wallet_refuses_a_pass_Wallet_refuses()
    {
        using var signer = new TestSigner();
        var content = new PkPassBuilder(signer).Build(Assets, Content(), SigningTime).ToArray();
        // The untouched pass opens: the refusals below are for what each change broke, not for every pass.
        Assert.Equal(Content().SerialNumber, new PkPass(content).PassJson.GetProperty("serialNumber").GetString());

        Assert.Contains("manifest lists", Assert.Throws<InvalidDataException>(() => new PkPass(Rezip(content, add: ("extra.png", [1])))).Message, StringComparison.Ordinal);
        Assert.Contains("SHA-1 of 'icon.png'", Assert.Throws<InvalidDataException>(() => new PkPass(Rezip(content, replace: ("icon.png", [1])))).Message, StringComparison.Ordinal);

        var (otherType, otherFile) = TestCertificates.Renewal(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddYears(1), "pass.com.example.other");
        using (otherType)
        using (var otherSigner = new TestSigner(otherFile))
        {
            var signedByOther = new PkPassBuilder(otherSigner).Build(Assets, Content(), DateTimeOffset.UtcNow).ToArray();
            Assert.Contains("may not match the certificate", Assert.Throws<InvalidDataException>(() => new PkPass(signedByOther)).Message, StringComparison.Ordinal);
        }
    }

    private static byte[] Rezip(byte[] pkpass, (string Name, byte[] Content)? add = null, (string Name, byte[] Content)? replace = null)
    {
        using var output = new MemoryStream();
        using (var source = new System.IO.Compression.ZipArchive(new MemoryStream(pkpass)))
        using (var target = new System.IO.Compression.ZipArchive(output, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in source.Entries)
            {
                using var from = entry.Open();
                using var to = target.CreateEntry(entry.FullName).Open();
                if (replace is { } replaced && replaced.Name == entry.FullName)
                {
                    to.Write(replaced.Content);
                }
                else
                {
                    from.CopyTo(to);
                }
            }

            if (add is { } added)
            {
                using var to = target.CreateEntry(added.Name).Open();
                to.Write(added.Content);
            }
        }

        return output.ToArray();
    }

    /// <summary>The real signer over the test PKI (the test pass certificate unless another .p12 is given).</summary>
    private sealed class TestSigner(string? certificateFile = null) : IPassSigner, IDisposable
    {
        private readonly PassCertificates _certificates = PassCertificates.Load(
            new AppleOptions { CertificateFile = certificateFile ?? TestCertificates.Files.PassCertificate, CertificatePassword = TestCertificates.Password, WwdrCertificateFile = TestCertificates.Files.Wwdr },
            TimeProvider.System);

        public byte[] Sign(byte[] manifest, DateTimeOffset signingTime) => new PassSigner(_certificates).Sign(manifest, signingTime);

        public void Dispose() => _certificates.Dispose();
    }
}
