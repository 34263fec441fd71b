namespace WalletPasses.Apple;

/// <summary>
/// One more Pass Type ID certificate, section <c>WalletPasses:Apple:PassTypeCertificates:{name}</c>: the certificate of
/// another pass type for the deployment's other programs (programs whose templates name the same pass type share it).
/// The WWDR certificate and the APNs settings are the section's own; the keys mean what the main certificate's do.
/// </summary>
public sealed class PassTypeCertificateOptions
{
    public string? CertificateFile { get; set; }

    public string? CertificateBase64 { get; set; }

    public string? CertificatePassword { get; set; }

    public string? NextCertificateFile { get; set; }

    public string? NextCertificateBase64 { get; set; }

    public string? NextCertificatePassword { get; set; }
}
