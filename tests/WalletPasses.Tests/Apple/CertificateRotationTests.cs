using System.Security.Cryptography.Pkcs;
using Microsoft.Extensions.Time.Testing;
using WalletPasses.Apple;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Apple;

/// <summary>
/// The yearly renewal of the Pass Type ID certificate without downtime: the app holds the current and the next
/// certificate, and the newest valid one (NotBefore ≤ now &lt; NotAfter, same pass type and team) signs new pass
/// versions (Apple, "Building a pass": the signature's certificate must be the pass type's) and opens APNs
/// connections (Apple, "Establishing a certificate-based connection to APNs").
/// </summary>
public sealed class CertificateRotationTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static AppleOptions Options(string? nextFile) => new()
    {
        CertificateFile = TestCertificates.Files.PassCertificate,
        CertificatePassword = TestCertificates.Password,
        WwdrCertificateFile = TestCertificates.Files.Wwdr,
        NextCertificateFile = nextFile,
        NextCertificatePassword = TestCertificates.Password,
    };

    /// <summary>The serial number of the certificate that signed the pass's manifest (the CMS signer).</summary>
    private static string SignerSerialNumber(PkPass pass)
    {
        var cms = new SignedCms(new ContentInfo(pass.Files["manifest.json"]), detached: true);
        cms.Decode(pass.Files["signature"]);
        cms.CheckSignature(verifySignatureOnly: true);
        return Assert.Single(cms.SignerInfos.Cast<SignerInfo>()).Certificate!.SerialNumber;
    }

    [Fact]
    public void With_a_valid_next_certificate_the_newest_signs_and_before_it_is_valid_the_current_one_does()
    {
        var next = TestCertificates.NextYearsRenewal();
        using var certificates = PassCertificates.Load(Options(next.File), TimeProvider.System);
        var signer = new PassSigner(certificates);
        var manifest = "{}"u8.ToArray();

        var now = new SignedCms(new ContentInfo(manifest), detached: true);
        now.Decode(signer.Sign(manifest, DateTimeOffset.UtcNow));
        var beforeTheRenewal = certificates.InUseAt(next.Certificate.NotBefore.ToUniversalTime().AddSeconds(-1));

        Assert.Equal(next.Certificate.SerialNumber, now.SignerInfos[0].Certificate!.SerialNumber);
        Assert.Equal(next.Certificate.SerialNumber, certificates.InUse.SerialNumber);
        Assert.Equal(PassCertificate.NextSetting, certificates.InUse.Setting);
        Assert.Equal(TestCertificates.Certificates.Pass.SerialNumber, beforeTheRenewal.SerialNumber);
        Assert.Empty(certificates.Ignored);
    }

    [Fact]
    public void An_expired_next_certificate_is_ignored_with_a_reason()
    {
        var expired = TestCertificates.ExpiredRenewal();
        using var certificates = PassCertificates.Load(Options(expired.File), TimeProvider.System);

        Assert.Equal(TestCertificates.Certificates.Pass.SerialNumber, certificates.InUse.SerialNumber);
        Assert.Single(certificates.All);
        Assert.StartsWith("WalletPasses:Apple: the next pass certificate expired on", Assert.Single(certificates.Ignored), StringComparison.Ordinal);
    }

    [Fact]
    public void A_next_certificate_of_another_pass_type_is_ignored_and_never_used()
    {
        var other = TestCertificates.Renewal(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddYears(2), "pass.com.other.program");
        using var certificates = PassCertificates.Load(Options(other.File), TimeProvider.System);

        Assert.Equal(TestCertificates.Certificates.Pass.SerialNumber, certificates.InUse.SerialNumber);
        Assert.Contains("is for pass type 'pass.com.other.program'", Assert.Single(certificates.Ignored), StringComparison.Ordinal);
    }

    [Fact]
    public void Once_the_current_certificate_expired_the_app_still_starts_with_a_valid_next_one()
    {
        var next = TestCertificates.NextYearsRenewal();
        var afterTheCurrentExpired = new FakeTimeProvider(TestCertificates.Certificates.Pass.NotAfter.ToUniversalTime().AddDays(10));

        var alone = PassCertificates.TryLoad(Options(null), afterTheCurrentExpired);
        var (withNext, errors) = PassCertificates.TryLoad(Options(next.File), afterTheCurrentExpired);
        using (withNext)
        {
            Assert.Contains("expired on", string.Join(" ", alone.Errors), StringComparison.Ordinal);
            Assert.Empty(errors);
            Assert.Equal(next.Certificate.SerialNumber, withNext!.InUse.SerialNumber);
        }
    }

    [Fact]
    public async Task With_two_certificates_new_pass_versions_are_signed_and_APNs_is_reached_with_the_newest()
    {
        var next = TestCertificates.NextYearsRenewal();

        var (signedWith, apnsWith) = await SigningAndApnsCertificatesAsync(next.File);

        Assert.Equal(next.Certificate.SerialNumber, signedWith);
        Assert.Equal(next.Certificate.SerialNumber, apnsWith);
    }

    [Fact]
    public async Task With_an_expired_next_certificate_the_current_one_keeps_signing_and_reaching_APNs()
    {
        var (signedWith, apnsWith) = await SigningAndApnsCertificatesAsync(TestCertificates.ExpiredRenewal().File);

        Assert.Equal(TestCertificates.Certificates.Pass.SerialNumber, signedWith);
        Assert.Equal(TestCertificates.Certificates.Pass.SerialNumber, apnsWith);
    }

    /// <summary>
    /// An app holding the test certificate and <paramref name="nextFile"/>: a registered iPhone's pass changes, and
    /// what certificate signed the version it fetches and which one the APNs emulator saw on the push's TLS connection.
    /// </summary>
    private async Task<(string SignedWith, string? ApnsWith)> SigningAndApnsCertificatesAsync(string nextFile)
    {
        await using var factory = new WalletPassesFactory(app.Azurite.ConnectionString, new Dictionary<string, string?>
        {
            ["WalletPasses:Events:PollQueue"] = "false",
            ["WalletPasses:Apple:NextCertificateFile"] = nextFile,
            ["WalletPasses:Apple:NextCertificatePassword"] = TestCertificates.Password,
        });
        var pushed = await PushedPass.ChangeAsync(factory, 2026);
        var fetched = new PkPass(await (await pushed.IPhone.FetchPassAsync(pushed.Pass)).Content.ReadAsByteArrayAsync());

        return (SignerSerialNumber(fetched), pushed.LastPush.ClientCertificateSerialNumber);
    }
}
