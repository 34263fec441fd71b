using System.Security.Cryptography.X509Certificates;
using WalletPasses.Apple.Apns;

namespace WalletPasses.Apple;

/// <summary>
/// APNs authenticates with the Pass Type ID certificate that signs the passes: the one in use when a connection
/// opens, so after a rotation new connections present the renewed certificate.
/// </summary>
public sealed class PassCertificateApnsSource(PassCertificates certificates) : IApnsClientCertificateSource
{
    public X509Certificate2 GetCertificate() => certificates.InUse.Certificate;
}
