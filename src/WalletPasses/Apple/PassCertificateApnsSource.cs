using System.Security.Cryptography.X509Certificates;
using WalletPasses.Apple.Apns;

namespace WalletPasses.Apple;

/// <summary>
/// APNs authenticates with the Pass Type ID certificate that signs the passes: the one in use when a connection
/// opens, so after a rotation new connections present the renewed certificate. A topic (pass type) with its own
/// certificate (<see cref="AppleOptions.PassTypeCertificates"/>) is pushed with that one.
/// </summary>
public sealed class PassCertificateApnsSource(ProgramCertificates certificates) : IApnsClientCertificateSource
{
    public X509Certificate2 GetCertificate() => certificates.Main.InUse.Certificate;

    public X509Certificate2 GetCertificate(string topic) => (certificates.For(topic) ?? certificates.Main).InUse.Certificate;

    public bool HasOwnCertificate(string topic) => certificates.For(topic) is { } own && own != certificates.Main;
}
