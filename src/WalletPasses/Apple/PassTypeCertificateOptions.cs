namespace WalletPasses.Apple;

/// <summary>
/// One more Pass Type ID certificate, section <c>WalletPasses:Apple:PassTypeCertificates:{name}</c>: the certificate of
/// another pass type for the deployment's other programs (programs whose templates name the same pass type share it).
/// The WWDR certificate and the APNs settings are the section's own. <see cref="AppleOptions"/> has the same keys for the
/// main certificate.
/// </summary>
public class PassTypeCertificateOptions
{
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
}
