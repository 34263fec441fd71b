using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace WalletPasses.Apple.Apns;

/// <summary>
/// TLS server check for APNs: the system trust store as usual, or else a chain that ends at one of the
/// extra roots from <see cref="AppleOptions.ApnsTrustedRootFile"/>. Never more: a wrong host name or a
/// missing certificate fails either way.
/// </summary>
internal sealed class ApnsServerCertificateValidator(X509Certificate2Collection? extraTrustedRoots)
{
    private const string ServerAuthenticationOid = "1.3.6.1.5.5.7.3.1";

    public static X509Certificate2Collection LoadTrustedRoots(string pemFile)
    {
        var roots = new X509Certificate2Collection();
        roots.ImportFromPemFile(pemFile);
        return roots.Count > 0 ? roots : throw new InvalidDataException("The file contains no PEM certificate.");
    }

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        // Only an untrusted chain can be rescued by the extra roots; name mismatches and absent certificates cannot.
        if (errors != SslPolicyErrors.RemoteCertificateChainErrors
            || extraTrustedRoots is null
            || certificate is not X509Certificate2 serverCertificate)
        {
            return false;
        }

        using var customChain = new X509Chain();
        customChain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        customChain.ChainPolicy.CustomTrustStore.AddRange(extraTrustedRoots);
        // An emulator's private CA publishes no revocation lists.
        customChain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        customChain.ChainPolicy.ApplicationPolicy.Add(new Oid(ServerAuthenticationOid));
        if (chain is not null)
        {
            // Intermediates the server sent during the handshake.
            customChain.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
        }

        return customChain.Build(serverCertificate);
    }
}
