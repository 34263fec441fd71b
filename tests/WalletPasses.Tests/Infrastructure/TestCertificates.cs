using System.Security.Cryptography.X509Certificates;
using WalletPasses.Apple;
using WalletPasses.Templates;

namespace WalletPasses.Tests.Infrastructure;

/// <summary>A fake Apple PKI made at test time (root CA, WWDR intermediate, pass type certificate) for the default template.</summary>
public static class TestCertificates
{
    public const string Password = "test-p12-password";
    private static readonly Lazy<(DevelopmentCertificates Certificates, DevelopmentCertificateFiles Files)> Default = new(() =>
    {
        var template = DefaultTemplate.Template();
        var certificates = DevelopmentCertificates.Create(template.PassTypeIdentifier, template.TeamIdentifier);
        return (certificates, certificates.WriteTo(NewFolder(), Password));
    });

    public static DevelopmentCertificates Certificates => Default.Value.Certificates;

    public static DevelopmentCertificateFiles Files => Default.Value.Files;

    /// <summary>
    /// A renewal of the test pass certificate: same WWDR, pass type and team (unless told otherwise), valid from
    /// <paramref name="notBefore"/> to <paramref name="notAfter"/> (within the WWDR's validity), written as a .p12 with <see cref="Password"/>.
    /// </summary>
    public static (X509Certificate2 Certificate, string File) Renewal(DateTimeOffset notBefore, DateTimeOffset notAfter, string? passTypeIdentifier = null)
    {
        var template = DefaultTemplate.Template();
        var certificate = DevelopmentCertificates.IssuePassCertificate(Certificates.Wwdr, passTypeIdentifier ?? template.PassTypeIdentifier, template.TeamIdentifier, notBefore, notAfter);
        var file = Path.Combine(NewFolder(), "renewed-pass.p12");
        System.IO.File.WriteAllBytes(file, certificate.Export(X509ContentType.Pkcs12, Password));
        return (certificate, file);
    }

    /// <summary>A renewal valid from now for two years: the "next" certificate of a rotation.</summary>
    public static (X509Certificate2 Certificate, string File) NextYearsRenewal() =>
        Renewal(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddYears(2));

    /// <summary>A renewal that expired minutes ago (valid only in the WWDR's first minute).</summary>
    public static (X509Certificate2 Certificate, string File) ExpiredRenewal() =>
        Renewal(Certificates.Wwdr.NotBefore.ToUniversalTime(), Certificates.Wwdr.NotBefore.ToUniversalTime().AddMinutes(1));

    public static string NewFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "walletpasses-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }
}
