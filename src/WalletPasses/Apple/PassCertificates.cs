using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace WalletPasses.Apple;

/// <summary>
/// The Pass Type ID certificates (sign passes, authenticate to APNs) and Apple's WWDR intermediate, loaded once:
/// the current one and, during a rotation, the next one. <see cref="InUse"/> is the newest of them valid at the
/// moment asked (NotBefore ≤ now &lt; NotAfter), so a renewed certificate takes over without a restart and an
/// expired one stops being used. The private key objects are shared: RSA signing through them is thread-safe.
/// </summary>
public sealed class PassCertificates : IDisposable
{
    private const string UidOid = "0.9.2342.19200300.100.1.1";
    private const string OrganizationalUnitOid = "2.5.4.11";

    private readonly TimeProvider _time;

    private PassCertificates(IReadOnlyList<PassCertificate> all, IReadOnlyList<string> ignored, X509Certificate2 wwdr, TimeProvider time)
    {
        All = all;
        Ignored = ignored;
        Wwdr = wwdr;
        _time = time;
        PassTypeIdentifier = RdnValue(all[0].Certificate.SubjectName, UidOid);
        TeamIdentifier = RdnValue(all[0].Certificate.SubjectName, OrganizationalUnitOid);
    }

    /// <summary>Every usable certificate, the current one first; all of one pass type and team.</summary>
    public IReadOnlyList<PassCertificate> All { get; }

    /// <summary>Why a configured next certificate is not among <see cref="All"/>: each a sentence saying what to fix.</summary>
    public IReadOnlyList<string> Ignored { get; }

    public X509Certificate2 Wwdr { get; }

    /// <summary>The certificates' UID: the pass type identifier they may sign for.</summary>
    public string? PassTypeIdentifier { get; }

    /// <summary>The certificates' OU: the Apple team identifier.</summary>
    public string? TeamIdentifier { get; }

    /// <summary>The certificate that signs and authenticates to APNs now.</summary>
    public PassCertificate InUse => InUseAt(_time.GetUtcNow());

    /// <summary>When the certificate in use now expires.</summary>
    public DateTimeOffset ExpiresAt => InUse.NotAfter;

    /// <summary>
    /// The newest certificate valid at <paramref name="now"/> (latest NotBefore, then latest NotAfter). When none
    /// is, the one that expired last: Apple refuses its signatures, and <c>/api/health</c> says so.
    /// </summary>
    public PassCertificate InUseAt(DateTimeOffset now) =>
        All.Where(c => c.IsValidAt(now)).OrderByDescending(c => c.NotBefore).ThenByDescending(c => c.NotAfter).FirstOrDefault()
        ?? All.MaxBy(c => c.NotAfter)!;

    public static PassCertificates Load(AppleOptions options, TimeProvider time, bool requireValidNow = true)
    {
        var (certificates, errors) = TryLoad(options, time, requireValidNow);
        return certificates ?? throw new InvalidOperationException(string.Join(" ", errors));
    }

    /// <summary>
    /// Loads and checks the certificates; every problem becomes a message that says what to fix. The current
    /// certificate must load; the start-up fails unless one of the certificates is valid now. A next certificate
    /// that cannot be used is left out (<see cref="Ignored"/>) rather than stopping the app: a rotation never
    /// takes the service down.
    /// </summary>
    /// <param name="requireValidNow">
    /// False for another program's certificate: one out of date is kept (and listed in <see cref="Ignored"/>) as one that
    /// expires while the app runs, so one brand's lapsed certificate never stops the deployment of the others.
    /// </param>
    public static (PassCertificates? Certificates, IReadOnlyList<string> Errors) TryLoad(AppleOptions options, TimeProvider time, bool requireValidNow = true)
    {
        var errors = new List<string>();
        var p12 = ReadSource(options.CertificateFile, options.CertificateBase64, "CertificateFile", "CertificateBase64", errors);
        var wwdrBytes = ReadSource(options.WwdrCertificateFile, options.WwdrCertificateBase64, "WwdrCertificateFile", "WwdrCertificateBase64", errors);
        if (p12 is null || wwdrBytes is null)
        {
            return (null, errors);
        }

        var (current, currentError) = OpenP12(p12, options.CertificatePassword, PassCertificate.CurrentSetting);
        if (current is null)
        {
            return (null, [currentError!]);
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
        if (wwdr.NotAfter.ToUniversalTime() <= now)
        {
            errors.Add($"WalletPasses:Apple: the WWDR certificate expired on {wwdr.NotAfter.ToUniversalTime():yyyy-MM-dd}; use WWDR G4.");
        }

        if (!IsIssuerOf(wwdr, current.Certificate))
        {
            errors.Add($"WalletPasses:Apple: the WWDR certificate ({wwdr.Subject}) is not the issuer of the pass certificate ({current.Certificate.Issuer}); download the matching WWDR intermediate (G4).");
        }

        if (RdnValue(current.Certificate.SubjectName, UidOid) is null || RdnValue(current.Certificate.SubjectName, OrganizationalUnitOid) is null)
        {
            errors.Add("WalletPasses:Apple: the certificate has no UID (pass type identifier) or OU (team identifier): is it a Pass Type ID certificate?");
        }

        var all = new List<PassCertificate> { current };
        var ignored = new List<string>();
        if (errors.Count == 0 && LoadNext(options, current, wwdr, now, ignored) is { } next)
        {
            all.Add(next);
        }

        if (!all.Any(c => c.IsValidAt(now)))
        {
            (requireValidNow ? errors : ignored).Add(current.NotBefore > now
                ? $"WalletPasses:Apple: the pass certificate is not valid before {current.NotBefore:yyyy-MM-dd}."
                : $"WalletPasses:Apple: the pass certificate expired on {current.NotAfter:yyyy-MM-dd}; renew it in the Apple developer portal.");
        }

        var certificates = new PassCertificates(all, ignored, wwdr, time);
        if (errors.Count > 0)
        {
            certificates.Dispose();
            return (null, errors);
        }

        return (certificates, errors);
    }

    /// <summary>The next certificate, or null (with the reason in <paramref name="ignored"/>) when it cannot take over.</summary>
    private static PassCertificate? LoadNext(AppleOptions options, PassCertificate current, X509Certificate2 wwdr, DateTimeOffset now, List<string> ignored)
    {
        if (string.IsNullOrWhiteSpace(options.NextCertificateFile) && string.IsNullOrWhiteSpace(options.NextCertificateBase64))
        {
            return null;
        }

        var readErrors = new List<string>();
        var p12 = ReadSource(options.NextCertificateFile, options.NextCertificateBase64, "NextCertificateFile", "NextCertificateBase64", readErrors);
        var (next, openError) = p12 is null ? (null, readErrors[0]) : OpenP12(p12, options.NextCertificatePassword, PassCertificate.NextSetting);
        string? problem = openError;
        if (next is not null)
        {
            var (passType, team) = (RdnValue(next.Certificate.SubjectName, UidOid), RdnValue(next.Certificate.SubjectName, OrganizationalUnitOid));
            problem = passType != RdnValue(current.Certificate.SubjectName, UidOid) || team != RdnValue(current.Certificate.SubjectName, OrganizationalUnitOid)
                ? $"WalletPasses:Apple: the next pass certificate is for pass type '{passType}' of team '{team}', not the current one's: renew the certificate of the same Pass Type ID."
                : !IsIssuerOf(wwdr, next.Certificate)
                    ? $"WalletPasses:Apple: the next pass certificate is not issued by the configured WWDR certificate ({wwdr.Subject}): use the matching WWDR intermediate."
                    : next.NotAfter <= now
                        ? $"WalletPasses:Apple: the next pass certificate expired on {next.NotAfter:yyyy-MM-dd}: put the renewed certificate in NextCertificateFile/NextCertificateBase64, or clear them."
                        : null;
        }

        if (problem is null)
        {
            return next;
        }

        ignored.Add(problem + " It is ignored until then.");
        if (next is not null)
        {
            next.SigningKey.Dispose();
            next.Certificate.Dispose();
        }

        return null;
    }

    private static (PassCertificate? Certificate, string? Error) OpenP12(byte[] p12, string? password, string setting)
    {
        X509Certificate2Collection collection;
        try
        {
            collection = X509CertificateLoader.LoadPkcs12Collection(p12, password, X509KeyStorageFlags.DefaultKeySet);
        }
        catch (CryptographicException)
        {
            // Never echo the password or the loader's details: just what to check.
            return (null, $"WalletPasses:Apple: the {Describe(setting)} could not be opened: wrong {setting}Password, or not a PKCS#12 (.p12) file.");
        }

        var certificate = collection.FirstOrDefault(c => c.HasPrivateKey);
        if (certificate is null)
        {
            return (null, $"WalletPasses:Apple: the {Describe(setting)} (.p12) holds no certificate with a private key; export the Pass Type ID certificate together with its key.");
        }

        var signingKey = certificate.GetRSAPrivateKey();
        return signingKey is null
            ? (null, $"WalletPasses:Apple: the {Describe(setting)}'s key is not an RSA key, as Apple issues them.")
            : (new PassCertificate(certificate, signingKey, setting), null);
    }

    private static string Describe(string setting) => setting == PassCertificate.NextSetting ? "next pass certificate" : "pass certificate";

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
        foreach (var certificate in All)
        {
            certificate.SigningKey.Dispose();
            certificate.Certificate.Dispose();
        }

        Wwdr.Dispose();
    }
}
