namespace WalletPasses.Apple;

/// <summary>
/// Apple settings, section <c>WalletPasses:Apple</c>. The Pass Type ID certificate comes as a file path
/// (local runs) or as base64 content (an app setting or Key Vault reference in Azure); never in the repo.
/// </summary>
public sealed class AppleOptions
{
    public const string Section = "WalletPasses:Apple";

    /// <summary>Path of the Pass Type ID certificate with its private key (.p12 / .pfx).</summary>
    public string? CertificateFile { get; set; }

    /// <summary>The same .p12 as base64, for settings backed by Key Vault.</summary>
    public string? CertificateBase64 { get; set; }

    public string? CertificatePassword { get; set; }

    /// <summary>
    /// The renewed Pass Type ID certificate during a rotation (README, "Certificate rotation"): held beside the
    /// current one, and the newest valid of the two signs passes and authenticates to APNs. Optional; one that does
    /// not load, is for another pass type or team, or has expired is ignored and reported by <c>/api/health</c>.
    /// </summary>
    public string? NextCertificateFile { get; set; }

    /// <summary>The renewed .p12 as base64, for settings backed by Key Vault.</summary>
    public string? NextCertificateBase64 { get; set; }

    public string? NextCertificatePassword { get; set; }

    /// <summary>Path of Apple's WWDR G4 intermediate certificate (PEM or DER).</summary>
    public string? WwdrCertificateFile { get; set; }

    /// <summary>The WWDR certificate as base64 DER or PEM text.</summary>
    public string? WwdrCertificateBase64 { get; set; }

    /// <summary>Start-up and <c>/api/health</c> warn when the certificate in use expires within this many days.</summary>
    public int CertificateExpiryWarningDays { get; set; } = 30;
}
