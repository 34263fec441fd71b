using WalletPasses.Apple;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Programs;

/// <summary>
/// A brand's Pass Type ID certificate that lapses (the brand is retired, or late to renew) must not stop the deployment
/// from starting for the other brands: start-up still refuses the main certificate expired and a named one that does not
/// load, but a named one that loads and is only out of date is used as the running app uses one that expires while it
/// runs (<see cref="PassCertificates.InUse"/>: the one that expired last, which Apple refuses, for that program only).
/// </summary>
public sealed class ProgramCertificateExpiryTests
{
    [Fact]
    public void An_expired_certificate_of_another_program_does_not_refuse_the_start_of_the_deployment()
    {
        var expiredAt = TestCertificates.Certificates.Wwdr.NotBefore.ToUniversalTime().AddMinutes(1);
        var (_, expiredFile) = TestCertificates.Renewal(expiredAt.AddMinutes(-1), expiredAt, TwoPrograms.SecondPassType);
        var options = new AppleOptions { WwdrCertificateFile = TestCertificates.Files.Wwdr };
        options.PassTypeCertificates["second"] = new PassTypeCertificateOptions { CertificateFile = expiredFile, CertificatePassword = TestCertificates.Password };

        Assert.Empty(ProgramCertificates.Check(options, mainPassType: null, TimeProvider.System));
        using var main = PassCertificates.Load(new AppleOptions { CertificateFile = TestCertificates.Files.PassCertificate, CertificatePassword = TestCertificates.Password, WwdrCertificateFile = TestCertificates.Files.Wwdr }, TimeProvider.System);
        using var programs = new ProgramCertificates(main, Microsoft.Extensions.Options.Options.Create(options), TimeProvider.System);
        Assert.Equal(expiredAt, programs.For(TwoPrograms.SecondPassType)!.ExpiresAt, TimeSpan.FromSeconds(1));

        // Still refused: a named certificate that does not load.
        options.PassTypeCertificates["second"].CertificatePassword = "wrong-password-123";
        Assert.NotEmpty(ProgramCertificates.Check(options, mainPassType: null, TimeProvider.System));
    }
}
