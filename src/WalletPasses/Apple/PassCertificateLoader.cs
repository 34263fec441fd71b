namespace WalletPasses.Apple;

/// <summary>
/// Loads the pass certificates once per set of certificate settings. Start-up validation runs for
/// <c>IOptions</c> and again for <c>IOptionsMonitor</c> (two options instances of the same settings), the
/// Production validator reads the certificates too, and so does the <see cref="PassCertificates"/> service: each used
/// to open the PKCS#12 file itself, the costliest single step of a cold start. It owns what it loaded.
/// </summary>
public sealed class PassCertificateLoader(TimeProvider time) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<CertificateSettings, (PassCertificates? Certificates, IReadOnlyList<string> Errors)> _loads = [];

    /// <summary>What <see cref="PassCertificates.TryLoad"/> gives for these settings, loaded at the first call; never dispose it.</summary>
    public (PassCertificates? Certificates, IReadOnlyList<string> Errors) Load(AppleOptions options)
    {
        var settings = new CertificateSettings(
            options.CertificateFile, options.CertificateBase64, options.CertificatePassword,
            options.NextCertificateFile, options.NextCertificateBase64, options.NextCertificatePassword,
            options.WwdrCertificateFile, options.WwdrCertificateBase64);
        lock (_gate)
        {
            if (!_loads.TryGetValue(settings, out var load))
            {
                _loads[settings] = load = PassCertificates.TryLoad(options, time);
            }

            return load;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var (certificates, _) in _loads.Values)
            {
                certificates?.Dispose();
            }

            _loads.Clear();
        }
    }

    /// <summary>Every setting <see cref="PassCertificates.TryLoad"/> reads.</summary>
    private readonly record struct CertificateSettings(
        string? File, string? Base64, string? Password,
        string? NextFile, string? NextBase64, string? NextPassword,
        string? WwdrFile, string? WwdrBase64);
}
