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

    public static string NewFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "walletpasses-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }
}
