using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace WalletPasses.Apple;

/// <summary>
/// Stand-ins for Apple's certificates on a developer machine and in tests: a root CA, a WWDR-like
/// intermediate, and a Pass Type ID certificate (UID = pass type id, OU = team id) it issues. Passes signed
/// with them verify against the generated root; Wallet on a real iPhone rejects them, as it should.
/// </summary>
public sealed record DevelopmentCertificates(
    X509Certificate2 Root, X509Certificate2 Wwdr, X509Certificate2 Pass, string BarcodeSigningKeyPem)
{
    public static DevelopmentCertificates Create(string passTypeIdentifier, string teamIdentifier, DateTimeOffset? notAfter = null)
    {
        var now = DateTimeOffset.UtcNow.AddMinutes(-5);
        using var rootKey = RSA.Create(2048);
        var rootRequest = new CertificateRequest("CN=WalletPasses Development Root CA, O=WalletPasses Development", rootKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        rootRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(rootRequest.PublicKey, false));
        var root = rootRequest.CreateSelfSigned(now, now.AddYears(10));

        using var wwdrKey = RSA.Create(2048);
        var wwdrRequest = new CertificateRequest("CN=WalletPasses Development WWDR G4, OU=G4, O=WalletPasses Development, C=US", wwdrKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        wwdrRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        wwdrRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        wwdrRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(wwdrRequest.PublicKey, false));
        wwdrRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, true, false));
        using var wwdrPublic = wwdrRequest.Create(root, now, now.AddYears(5), RandomNumberGenerator.GetBytes(12));
        var wwdr = wwdrPublic.CopyWithPrivateKey(wwdrKey);

        var pass = IssuePassCertificate(wwdr, passTypeIdentifier, teamIdentifier, now, notAfter ?? now.AddYears(1));

        using var barcodeKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new DevelopmentCertificates(root, wwdr, pass, barcodeKey.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>
    /// A Pass Type ID certificate (UID = pass type id, OU = team id, TLS client usage for APNs) with its key, issued by
    /// <paramref name="wwdr"/>: the yearly renewal is another one of these for the same pass type.
    /// </summary>
    public static X509Certificate2 IssuePassCertificate(X509Certificate2 wwdr, string passTypeIdentifier, string teamIdentifier, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var passKey = RSA.Create(2048);
        var subject = new X500DistinguishedNameBuilder();
        subject.Add("0.9.2342.19200300.100.1.1", passTypeIdentifier, UniversalTagNumber.UTF8String);
        subject.AddCommonName("Pass Type ID: " + passTypeIdentifier);
        subject.AddOrganizationalUnitName(teamIdentifier);
        subject.AddOrganizationName("WalletPasses Development");
        subject.AddCountryOrRegion("US");
        var passRequest = new CertificateRequest(subject.Build(), passKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        passRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        passRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        passRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false)); // TLS client (APNs)
        passRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(wwdr, true, false));
        using var passPublic = passRequest.Create(wwdr, notBefore, notAfter, RandomNumberGenerator.GetBytes(12));
        return passPublic.CopyWithPrivateKey(passKey);
    }

    /// <summary>The files a configuration points at, written into a folder.</summary>
    public DevelopmentCertificateFiles WriteTo(string folder, string password)
    {
        Directory.CreateDirectory(folder);
        var files = new DevelopmentCertificateFiles(
            Path.Combine(folder, "pass.p12"), Path.Combine(folder, "wwdr.pem"), Path.Combine(folder, "root.pem"), Path.Combine(folder, "barcode-signing-key.pem"));
        File.WriteAllBytes(files.PassCertificate, Pass.Export(X509ContentType.Pkcs12, password));
        File.WriteAllText(files.Wwdr, Wwdr.ExportCertificatePem());
        File.WriteAllText(files.Root, Root.ExportCertificatePem());
        File.WriteAllText(files.BarcodeSigningKey, BarcodeSigningKeyPem);
        return files;
    }
}

public sealed record DevelopmentCertificateFiles(string PassCertificate, string Wwdr, string Root, string BarcodeSigningKey);
