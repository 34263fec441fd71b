using Microsoft.Extensions.Options;

namespace WalletPasses.Apple;

/// <summary>
/// Every Pass Type ID certificate of the deployment by pass type identifier: the main one (<see cref="PassCertificates"/>,
/// <c>WalletPasses:Apple:Certificate…</c>) and the named ones of <see cref="AppleOptions.PassTypeCertificates"/>, loaded
/// once. A program's pass type is its template's <c>passTypeIdentifier</c>, so this is how each program finds its certificate.
/// </summary>
public sealed class ProgramCertificates : IDisposable
{
    private readonly Dictionary<string, PassCertificates> _byPassType = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PassCertificates> _named = new(StringComparer.Ordinal);

    public ProgramCertificates(PassCertificates main, IOptions<AppleOptions> options, TimeProvider time)
    {
        Main = main;
        _byPassType[main.PassTypeIdentifier ?? ""] = main;
        foreach (var (name, set) in Configured(options.Value))
        {
            // The validator refused the start-up if a named certificate does not load (AppleOptionsValidator).
            var certificates = PassCertificates.Load(options.Value.WithCertificate(set), time, requireValidNow: false);
            _named.Add(name, certificates);
            _byPassType.TryAdd(certificates.PassTypeIdentifier ?? name, certificates);
        }
    }

    public PassCertificates Main { get; }

    /// <summary>The certificates of <see cref="AppleOptions.PassTypeCertificates"/> by setting name (other programs' pass types).</summary>
    public IReadOnlyDictionary<string, PassCertificates> Named => _named;

    /// <summary>The pass types this deployment has a certificate for.</summary>
    public IReadOnlyCollection<string> PassTypeIdentifiers => _byPassType.Keys;

    /// <summary>The certificates of a pass type; null when none is configured.</summary>
    public PassCertificates? For(string passTypeIdentifier) => _byPassType.GetValueOrDefault(passTypeIdentifier);

    /// <summary>
    /// Problems with the named certificates, each saying what to fix: one that does not load, or a second certificate
    /// of a pass type that already has one. One that loads but is out of date is not a problem here: only its program's
    /// passes suffer from it, as from one that expires while the app runs.
    /// </summary>
    public static IReadOnlyList<string> Check(AppleOptions options, string? mainPassType, TimeProvider time)
    {
        var errors = new List<string>();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        if (mainPassType is not null)
        {
            seen[mainPassType] = "WalletPasses:Apple:CertificateFile/CertificateBase64";
        }

        foreach (var (name, set) in Configured(options))
        {
            var setting = $"WalletPasses:Apple:PassTypeCertificates:{name}";
            var (certificates, loadErrors) = PassCertificates.TryLoad(options.WithCertificate(set), time, requireValidNow: false);
            errors.AddRange(loadErrors.Select(error => $"{setting} (CertificateFile or CertificateBase64, CertificatePassword): {error}"));
            if (certificates?.PassTypeIdentifier is { } passType)
            {
                if (seen.TryGetValue(passType, out var other))
                {
                    errors.Add($"{setting} is a certificate of pass type '{passType}', which {other} has already: configure one certificate per pass type (programs share it).");
                }
                else
                {
                    seen[passType] = setting;
                }
            }

            certificates?.Dispose();
        }

        return errors;
    }

    /// <summary>
    /// The named certificates that name a certificate: a set whose file and base64 are both blank (as in
    /// local.settings.example.json, a template for the operator to fill in) is not configured, not broken.
    /// </summary>
    private static IEnumerable<KeyValuePair<string, PassTypeCertificateOptions>> Configured(AppleOptions options) =>
        options.PassTypeCertificates.Where(set => !string.IsNullOrWhiteSpace(set.Value.CertificateFile) || !string.IsNullOrWhiteSpace(set.Value.CertificateBase64));

    public void Dispose()
    {
        foreach (var certificates in _named.Values)
        {
            certificates.Dispose();
        }
    }
}
