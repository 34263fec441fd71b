namespace WalletPasses.Apple;

/// <summary>
/// Apple settings, section <c>WalletPasses:Apple</c>. The Pass Type ID certificate comes as a file path
/// (local runs) or as base64 content (an app setting or Key Vault reference in Azure); never in the repo.
/// How the service reaches APNs is here too, every key prefixed <c>Apns</c> (environment variable
/// <c>WalletPasses__Apple__ApnsBaseUrl</c> and so on); <see cref="Apns.ApnsClient"/> reads only those.
/// </summary>
public sealed class AppleOptions : PassTypeCertificateOptions
{
    public const string Section = "WalletPasses:Apple";

    /// <summary>Path of Apple's WWDR G4 intermediate certificate (PEM or DER).</summary>
    public string? WwdrCertificateFile { get; set; }

    /// <summary>The WWDR certificate as base64 DER or PEM text.</summary>
    public string? WwdrCertificateBase64 { get; set; }

    /// <summary>
    /// Further Pass Type ID certificates by a name of the operator's choice (README, "Many programs"): a program's
    /// passes are signed, and its devices pushed, with the certificate whose pass type identifier its template names.
    /// </summary>
    public Dictionary<string, PassTypeCertificateOptions> PassTypeCertificates { get; set; } = new(StringComparer.Ordinal);

    /// <summary>These settings with the named certificate in place of the main one (same WWDR and APNs settings).</summary>
    public AppleOptions WithCertificate(PassTypeCertificateOptions certificate) => new()
    {
        CertificateFile = certificate.CertificateFile,
        CertificateBase64 = certificate.CertificateBase64,
        CertificatePassword = certificate.CertificatePassword,
        NextCertificateFile = certificate.NextCertificateFile,
        NextCertificateBase64 = certificate.NextCertificateBase64,
        NextCertificatePassword = certificate.NextCertificatePassword,
        WwdrCertificateFile = WwdrCertificateFile,
        WwdrCertificateBase64 = WwdrCertificateBase64,
        CertificateExpiryWarningDays = CertificateExpiryWarningDays,
    };

    /// <summary>Start-up and <c>/api/health</c> warn when the certificate in use expires within this many days.</summary>
    public int CertificateExpiryWarningDays { get; set; } = 30;

    /// <summary>
    /// APNs endpoint; pushes go to <c>{ApnsBaseUrl}/3/device/{pushToken}</c>. Pass updates are production only:
    /// start-up warns when this is Apple's sandbox host.
    /// </summary>
    public Uri ApnsBaseUrl { get; set; } = new("https://api.push.apple.com");

    /// <summary>
    /// Optional PEM file with one or more extra root certificates trusted for the APNs server, in addition to
    /// the system trust store. Meant for a local APNs emulator; leave unset in production.
    /// </summary>
    public string? ApnsTrustedRootFile { get; set; }

    /// <summary>Upper bound on pushes in flight from one <see cref="Apns.IApnsClient.PushManyAsync"/> call.</summary>
    public int ApnsMaxConcurrentPushes { get; set; } = 100;

    /// <summary>
    /// Attempts per push, the first one included, for 429/500/502/503/504 answers and network errors. A 429 is
    /// retried a second later at the soonest (it is about this very token).
    /// </summary>
    public int ApnsMaxAttempts { get; set; } = 4;

    /// <summary>Back-off before the first retry; it doubles per retry (with jitter) up to <see cref="ApnsMaxRetryDelay"/>.</summary>
    public TimeSpan ApnsInitialRetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Longest wait between attempts. A Retry-After longer than this ends the retries, so a push never
    /// blocks its caller for long; the result then carries the Retry-After for the caller to reschedule.
    /// </summary>
    public TimeSpan ApnsMaxRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Time limit of one attempt (connect, TLS and response).</summary>
    public TimeSpan ApnsRequestTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long one HTTP/2 connection is reused. Long, because Apple treats frequent reconnects as abuse;
    /// finite, so a renewed pass type certificate and DNS changes are picked up without a restart.
    /// </summary>
    public TimeSpan ApnsConnectionLifetime { get; set; } = TimeSpan.FromHours(1);
}
