using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace WalletPasses.Apple;

/// <summary>
/// One loaded Pass Type ID certificate with its private key, and the setting it came from
/// (<see cref="CurrentSetting"/> or <see cref="NextSetting"/>).
/// </summary>
public sealed record PassCertificate(X509Certificate2 Certificate, RSA SigningKey, string Setting)
{
    /// <summary>WalletPasses:Apple:CertificateFile / CertificateBase64 / CertificatePassword.</summary>
    public const string CurrentSetting = "Certificate";

    /// <summary>WalletPasses:Apple:NextCertificateFile / NextCertificateBase64 / NextCertificatePassword.</summary>
    public const string NextSetting = "NextCertificate";

    public DateTimeOffset NotBefore => Certificate.NotBefore.ToUniversalTime();

    public DateTimeOffset NotAfter => Certificate.NotAfter.ToUniversalTime();

    /// <summary>The certificate's serial number (hex): what tells two renewals of one pass type apart.</summary>
    public string SerialNumber => Certificate.SerialNumber;

    public bool IsValidAt(DateTimeOffset now) => NotBefore <= now && now < NotAfter;
}
