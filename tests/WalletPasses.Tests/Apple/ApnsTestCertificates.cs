using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace WalletPasses.Tests.Apple;

/// <summary>
/// A throwaway PKI made at test time: root CAs, TLS server certificates for emulators, and client
/// certificates shaped like Apple's Pass Type ID certificates. Nothing is written to a certificate store.
/// </summary>
public static class ApnsTestCertificates
{
    public const string PassTypeIdentifier = "pass.com.example.test";
    public const string TeamIdentifier = "TEAM123456";

    private const string ServerAuthenticationOid = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthenticationOid = "1.3.6.1.5.5.7.3.2";

    private static readonly Lazy<X509Certificate2> SharedRoot = new(() => CreateRootCertificate("WalletPasses Test Root CA"));
    private static readonly Lazy<X509Certificate2> SharedPassCertificate = new(() => CreatePassTypeCertificate(SharedRoot.Value));

    /// <summary>The CA that issues <see cref="PassCertificate"/> and, by default, the emulators' server certificates.</summary>
    public static X509Certificate2 Root => SharedRoot.Value;

    /// <summary>A Pass Type ID-like client certificate for <see cref="PassTypeIdentifier"/>, issued by <see cref="Root"/>.</summary>
    public static X509Certificate2 PassCertificate => SharedPassCertificate.Value;

    public static X509Certificate2 CreateRootCertificate(string commonName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}, O=WalletPasses Tests", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddHours(-1), now.AddYears(1));
    }

    /// <summary>A TLS server certificate for 127.0.0.1 and localhost.</summary>
    public static X509Certificate2 CreateServerCertificate(X509Certificate2 issuer)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost, O=WalletPasses Tests", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ServerAuthenticationOid)], critical: false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        return IssueWithPrivateKey(request, issuer, key);
    }

    /// <summary>
    /// A client certificate with the subject layout of Apple's Pass Type ID certificates:
    /// <c>UID=pass.com.example.test, CN=Pass Type ID: pass.com.example.test, OU=TEAM123456, O=Example, C=US</c>.
    /// RSA, as Apple issues them.
    /// </summary>
    public static X509Certificate2 CreatePassTypeCertificate(X509Certificate2 issuer, string passTypeIdentifier = PassTypeIdentifier)
    {
        var subject = new X500DistinguishedName(PassCertificateSubject(passTypeIdentifier));

        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ClientAuthenticationOid)], critical: false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        return IssueWithPrivateKey(request, issuer, key);
    }

    /// <summary>The subject of Apple's Pass Type ID certificates, for a given pass type.</summary>
    public static string PassCertificateSubject(string passTypeIdentifier) =>
        $"UID={passTypeIdentifier}, CN=Pass Type ID: {passTypeIdentifier}, OU={TeamIdentifier}, O=Example, C=US";

    /// <summary>Does <paramref name="certificate"/> chain to <paramref name="root"/> for the given purpose?</summary>
    public static bool ChainsTo(X509Certificate2 certificate, X509Certificate2 root, bool forClientAuthentication, X509Certificate2? intermediate = null)
    {
        using var chain = new X509Chain();
        if (intermediate is not null)
        {
            chain.ChainPolicy.ExtraStore.Add(intermediate);
        }

        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(forClientAuthentication ? ClientAuthenticationOid : ServerAuthenticationOid));
        return chain.Build(certificate);
    }

    private static X509Certificate2 IssueWithPrivateKey(CertificateRequest request, X509Certificate2 issuer, AsymmetricAlgorithm key)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var serialNumber = RandomNumberGenerator.GetBytes(16);
        serialNumber[0] &= 0x7F; // keep it positive
        var now = DateTimeOffset.UtcNow;
        // The roots are ECDSA; the generator overload lets them sign RSA keys as well.
        using var issuerKey = issuer.GetECDsaPrivateKey() ?? throw new ArgumentException("The issuer needs its ECDSA private key.", nameof(issuer));
        using var issued = request.Create(issuer.SubjectName, X509SignatureGenerator.CreateForECDsa(issuerKey), now.AddHours(-1), now.AddDays(7), serialNumber);
        using var withKey = key switch
        {
            RSA rsa => issued.CopyWithPrivateKey(rsa),
            ECDsa ecdsa => issued.CopyWithPrivateKey(ecdsa),
            _ => throw new ArgumentException("Unsupported key type.", nameof(key)),
        };

        // SslStream on Linux (OpenSSL) takes the ephemeral key as it is (verified on .NET 10 with Kestrel and
        // SocketsHttpHandler); Windows SChannel does not, so a PKCS#12 round trip keeps the suite portable.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), password: null);
    }
}
