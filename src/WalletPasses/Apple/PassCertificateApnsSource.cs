using System.Security.Cryptography.X509Certificates;
using WalletPasses.Apple.Apns;

namespace WalletPasses.Apple;

/// <summary>APNs authenticates with the same Pass Type ID certificate that signs the passes.</summary>
public sealed class PassCertificateApnsSource(PassCertificates certificates) : IApnsClientCertificateSource
{
    public X509Certificate2 GetCertificate() => certificates.PassCertificate;
}
