using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;
using WalletPasses.Apple;
using WalletPasses.Templates;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Apple;

public sealed class PassCertificatesTests
{
    private static AppleOptions Options(DevelopmentCertificateFiles? files = null, string password = TestCertificates.Password)
    {
        files ??= TestCertificates.Files;
        return new AppleOptions { CertificateFile = files.PassCertificate, CertificatePassword = password, WwdrCertificateFile = files.Wwdr };
    }

    private static string Errors(AppleOptions options, TimeProvider? time = null) =>
        string.Join(" ", PassCertificates.TryLoad(options, time ?? TimeProvider.System).Errors);

    [Fact]
    public void A_valid_pass_certificate_loads_with_its_pass_type_and_team()
    {
        using var certificates = PassCertificates.Load(Options(), TimeProvider.System);

        var template = DefaultTemplate.Template();
        Assert.Equal(template.PassTypeIdentifier, certificates.PassTypeIdentifier);
        Assert.Equal(template.TeamIdentifier, certificates.TeamIdentifier);
        Assert.Empty(new CertificateMatchesTemplateRule(new ProgramCertificates(certificates, Microsoft.Extensions.Options.Options.Create(new AppleOptions()), TimeProvider.System)).Check(template));
    }

    [Fact]
    public void A_missing_certificate_says_which_setting_to_fill()
    {
        Assert.Contains("CertificateFile (or CertificateBase64) is not set", Errors(new AppleOptions { WwdrCertificateFile = TestCertificates.Files.Wwdr }));
        Assert.Contains("no file at", Errors(new AppleOptions { CertificateFile = "/nope/pass.p12", WwdrCertificateFile = TestCertificates.Files.Wwdr }));
    }

    [Fact]
    public void A_wrong_password_is_reported_without_echoing_the_password()
    {
        var errors = Errors(Options(password: "wrong-secret-password"));

        Assert.Contains("wrong CertificatePassword", errors);
        Assert.DoesNotContain("wrong-secret-password", errors);
        Assert.DoesNotContain(TestCertificates.Password, errors);
    }

    [Fact]
    public void An_expired_certificate_is_refused_with_its_expiry_date()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow.AddYears(2));

        Assert.Contains("expired on", Errors(Options(), time));
    }

    [Fact]
    public void A_certificate_for_another_pass_type_does_not_match_the_template()
    {
        var other = DevelopmentCertificates.Create("pass.com.other.program", "OTHERTEAM1");
        var files = other.WriteTo(TestCertificates.NewFolder(), "pw-12345678");
        using var certificates = PassCertificates.Load(Options(files, "pw-12345678"), TimeProvider.System);

        var problems = string.Join(" ", new CertificateMatchesTemplateRule(new ProgramCertificates(certificates, Microsoft.Extensions.Options.Options.Create(new AppleOptions()), TimeProvider.System)).Check(DefaultTemplate.Template()));

        Assert.Contains("does not match the pass certificate's 'pass.com.other.program'", problems);
        Assert.Contains("OTHERTEAM1", problems);
    }

    [Fact]
    public void A_WWDR_certificate_that_did_not_issue_the_pass_certificate_is_refused()
    {
        var other = DevelopmentCertificates.Create("pass.x", "TEAMX00001");
        var folder = TestCertificates.NewFolder();
        var wrongWwdr = Path.Combine(folder, "wwdr.pem");
        File.WriteAllText(wrongWwdr, other.Wwdr.ExportCertificatePem());

        var options = Options();
        options.WwdrCertificateFile = wrongWwdr;

        Assert.Contains("is not the issuer", Errors(options));
    }

    [Fact]
    public void A_p12_without_a_private_key_is_refused()
    {
        var folder = TestCertificates.NewFolder();
        var path = Path.Combine(folder, "public-only.p12");
        using var publicOnly = X509CertificateLoader.LoadCertificate(TestCertificates.Certificates.Pass.RawData);
        File.WriteAllBytes(path, publicOnly.Export(X509ContentType.Pkcs12, "pw-12345678"));

        Assert.Contains("no certificate with a private key", Errors(new AppleOptions { CertificateFile = path, CertificatePassword = "pw-12345678", WwdrCertificateFile = TestCertificates.Files.Wwdr }));
    }
}
