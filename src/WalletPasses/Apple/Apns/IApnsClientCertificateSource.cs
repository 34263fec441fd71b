using System.Security.Cryptography.X509Certificates;

namespace WalletPasses.Apple.Apns;

/// <summary>
/// Supplies the Pass Type ID certificate (with its private key) that authenticates to APNs: the same one
/// that signs the passes. Asked once per new TLS connection, so a renewed certificate takes effect on the
/// next connection.
/// </summary>
public interface IApnsClientCertificateSource
{
    X509Certificate2 GetCertificate();

    /// <summary>The certificate for pushes on <paramref name="topic"/> (a pass type identifier) when it has its own.</summary>
    X509Certificate2 GetCertificate(string topic) => GetCertificate();

    /// <summary>Whether <paramref name="topic"/> has a certificate of its own (then its own connections); false: <see cref="GetCertificate()"/>.</summary>
    bool HasOwnCertificate(string topic) => false;
}
