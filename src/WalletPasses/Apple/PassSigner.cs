using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;

namespace WalletPasses.Apple;

public interface IPassSigner
{
    /// <summary>The detached CMS signature of manifest.json.</summary>
    byte[] Sign(byte[] manifest, DateTimeOffset signingTime);
}

/// <summary>
/// Detached PKCS#7/CMS SignedData over manifest.json with the Pass Type ID certificate, the WWDR
/// intermediate in the certificate set and a signing-time attribute, as Wallet requires.
/// </summary>
public sealed class PassSigner(PassCertificates certificates) : IPassSigner
{
    public byte[] Sign(byte[] manifest, DateTimeOffset signingTime)
    {
        var cms = new SignedCms(new ContentInfo(manifest), detached: true);
        // IssuerAndSerialNumber rather than SubjectKeyIdentifier: every PKCS#7 reader understands it.
        var signer = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, certificates.PassCertificate, certificates.SigningKey)
        {
            // Certificates are added explicitly: any other IncludeOption builds an X509 chain per signature (milliseconds).
            IncludeOption = X509IncludeOption.None,
            DigestAlgorithm = new Oid("2.16.840.1.101.3.4.2.1"), // SHA-256
        };
        signer.Certificates.Add(certificates.PassCertificate);
        signer.Certificates.Add(certificates.Wwdr);
        signer.SignedAttributes.Add(new Pkcs9SigningTime(signingTime.UtcDateTime));
        cms.ComputeSignature(signer, silent: true);
        return cms.Encode();
    }
}
