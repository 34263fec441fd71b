using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Options;
using WalletPasses.Templates;

namespace WalletPasses.Apple;

/// <summary>
/// The Pass Type ID certificate (signs passes, authenticates to APNs) and Apple's WWDR intermediate,
/// loaded once. The private key object is shared: RSA signing through it is thread-safe.
/// </summary>
public sealed class PassCertificates : IDisposable
{
    private const string UidOid = "0.9.2342.19200300.100.1.1";
    private const string OrganizationalUnitOid = "2.5.4.11";

    private PassCertificates(X509Certificate2 passCertificate, RSA signingKey, X509Certificate2 wwdr)
    {
        PassCertificate = passCertificate;
        SigningKey = signingKey;
        Wwdr = wwdr;
        PassTypeIdentifier = RdnValue(passCertificate.SubjectName, UidOid);
        TeamIdentifier = RdnValue(passCertificate.SubjectName, OrganizationalUnitOid);
    }

    public X509Certificate2 PassCertificate { get; }

    public RSA SigningKey { get; }

    public X509Certificate2 Wwdr { get; }

    /// <summary>The certificate's UID: the pass type identifier it may sign for.</summary>
    public string? PassTypeIdentifier { get; }

    /// <summary>The certificate's OU: the Apple team identifier.</summary>
    public string? TeamIdentifier { get; }

    public DateTimeOffset ExpiresAt => PassCertificate.NotAfter.ToUniversalTime();

    public static PassCertificates Load(AppleOptions options, TimeProvider time)
    {
        var (certificates, errors) = TryLoad(options, time);
        return certificates ?? throw new InvalidOperationException(string.Join(" ", errors));
    }

    /// <summary>Loads and checks the certificates; every problem becomes a message that says what to fix.</summary>
    public static (PassCertificates? Certificates, IReadOnlyList<string> Errors) TryLoad(AppleOptions options, TimeProvider time)
    {
        var errors = new List<string>();
        var p12 = ReadSource(options.CertificateFile, options.CertificateBase64, "CertificateFile", "CertificateBase64", errors);
        var wwdrBytes = ReadSource(options.WwdrCertificateFile, options.WwdrCertificateBase64, "WwdrCertificateFile", "WwdrCertificateBase64", errors);
        if (p12 is null || wwdrBytes is null)
        {
            return (null, errors);
        }

        X509Certificate2Collection collection;
        try
        {
            collection = X509CertificateLoader.LoadPkcs12Collection(p12, options.CertificatePassword, X509KeyStorageFlags.DefaultKeySet);
        }
        catch (CryptographicException)
        {
            // Never echo the password or the loader's details: just what to check.
            return (null, ["WalletPasses:Apple: the pass certificate could not be opened: wrong CertificatePassword, or not a PKCS#12 (.p12) file."]);
        }

        var passCertificate = collection.FirstOrDefault(c => c.HasPrivateKey);
        if (passCertificate is null)
        {
            return (null, ["WalletPasses:Apple: the .p12 holds no certificate with a private key; export the Pass Type ID certificate together with its key."]);
        }

        var signingKey = passCertificate.GetRSAPrivateKey();
        if (signingKey is null)
        {
            return (null, ["WalletPasses:Apple: the pass certificate's key is not an RSA key, as Apple issues them."]);
        }

        X509Certificate2 wwdr;
        try
        {
            wwdr = LoadCertificate(wwdrBytes);
        }
        catch (CryptographicException)
        {
            return (null, ["WalletPasses:Apple: the WWDR certificate is not a PEM or DER certificate."]);
        }

        var now = time.GetUtcNow();
        if (passCertificate.NotAfter.ToUniversalTime() <= now)
        {
            errors.Add($"WalletPasses:Apple: the pass certificate expired on {passCertificate.NotAfter.ToUniversalTime():yyyy-MM-dd}; renew it in the Apple developer portal.");
        }
        else if (passCertificate.NotBefore.ToUniversalTime() > now)
        {
            errors.Add($"WalletPasses:Apple: the pass certificate is not valid before {passCertificate.NotBefore.ToUniversalTime():yyyy-MM-dd}.");
        }

        if (wwdr.NotAfter.ToUniversalTime() <= now)
        {
            errors.Add($"WalletPasses:Apple: the WWDR certificate expired on {wwdr.NotAfter.ToUniversalTime():yyyy-MM-dd}; use WWDR G4.");
        }

        if (!IsIssuerOf(wwdr, passCertificate))
        {
            errors.Add($"WalletPasses:Apple: the WWDR certificate ({wwdr.Subject}) is not the issuer of the pass certificate ({passCertificate.Issuer}); download the matching WWDR intermediate (G4).");
        }

        var certificates = new PassCertificates(passCertificate, signingKey, wwdr);
        if (certificates.PassTypeIdentifier is null || certificates.TeamIdentifier is null)
        {
            errors.Add("WalletPasses:Apple: the certificate has no UID (pass type identifier) or OU (team identifier): is it a Pass Type ID certificate?");
        }

        if (errors.Count > 0)
        {
            certificates.Dispose();
            return (null, errors);
        }

        return (certificates, errors);
    }

    private static byte[]? ReadSource(string? file, string? base64, string fileSetting, string base64Setting, List<string> errors)
    {
        if (!string.IsNullOrWhiteSpace(base64))
        {
            try
            {
                return Convert.FromBase64String(base64.Trim());
            }
            catch (FormatException)
            {
                errors.Add($"WalletPasses:Apple:{base64Setting} is not valid base64.");
                return null;
            }
        }

        if (string.IsNullOrWhiteSpace(file))
        {
            errors.Add($"WalletPasses:Apple:{fileSetting} (or {base64Setting}) is not set: the service cannot sign passes without it. See certs.example/README.md.");
            return null;
        }

        if (!File.Exists(file))
        {
            errors.Add($"WalletPasses:Apple:{fileSetting}: no file at '{Path.GetFullPath(file)}'.");
            return null;
        }

        return File.ReadAllBytes(file);
    }

    /// <summary>Issuer name and, where both carry them, authority/subject key identifiers must match.</summary>
    private static bool IsIssuerOf(X509Certificate2 issuer, X509Certificate2 certificate)
    {
        if (!issuer.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData))
        {
            return false;
        }

        var authorityKeyId = certificate.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().FirstOrDefault()?.KeyIdentifier;
        var subjectKeyId = issuer.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault()?.SubjectKeyIdentifierBytes;
        return authorityKeyId is null || subjectKeyId is null || authorityKeyId.Value.Span.SequenceEqual(subjectKeyId.Value.Span);
    }

    private static X509Certificate2 LoadCertificate(byte[] bytes)
    {
        var text = Encoding.ASCII.GetString(bytes);
        return text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal)
            ? X509Certificate2.CreateFromPem(text)
            : X509CertificateLoader.LoadCertificate(bytes);
    }

    private static string? RdnValue(X500DistinguishedName name, string oid) =>
        name.EnumerateRelativeDistinguishedNames()
            .FirstOrDefault(rdn => rdn.GetSingleElementType().Value == oid)
            ?.GetSingleElementValue();

    public void Dispose()
    {
        SigningKey.Dispose();
        PassCertificate.Dispose();
        Wwdr.Dispose();
    }
}

/// <summary>Start-up validation of the Apple settings: the certificates must load and be usable.</summary>
public sealed class AppleOptionsValidator(TimeProvider time) : IValidateOptions<AppleOptions>
{
    public ValidateOptionsResult Validate(string? name, AppleOptions options)
    {
        var (certificates, errors) = PassCertificates.TryLoad(options, time);
        certificates?.Dispose();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

/// <summary>The template's pass type and team must be the ones the certificate may sign for.</summary>
public sealed class CertificateMatchesTemplateRule(PassCertificates certificates) : ITemplateRule
{
    public IEnumerable<string> Check(ProgramTemplate programTemplate)
    {
        if (!string.Equals(programTemplate.PassTypeIdentifier, certificates.PassTypeIdentifier, StringComparison.Ordinal))
        {
            yield return $"The template's passTypeIdentifier '{programTemplate.PassTypeIdentifier}' does not match the pass certificate's '{certificates.PassTypeIdentifier}'.";
        }

        if (!string.Equals(programTemplate.TeamIdentifier, certificates.TeamIdentifier, StringComparison.Ordinal))
        {
            yield return $"The template's teamIdentifier '{programTemplate.TeamIdentifier}' does not match the pass certificate's team (OU) '{certificates.TeamIdentifier}'.";
        }
    }
}
