namespace WalletPasses.Apple.Apns;

/// <param name="CertificateRejected">True while APNs's latest verdict on the certificate is a 403.</param>
/// <param name="LastCertificateRejectedAt">When APNs last answered 403, if ever.</param>
/// <param name="LastCertificateRejectionReason">APNs's reason for that 403 (e.g. BadCertificate).</param>
/// <param name="LastDeliveredAt">When a push last succeeded, if ever.</param>
/// <param name="LastFailedAt">
/// When a push last ended as <see cref="ApnsPushResult.Failed"/> (APNs unreachable, TLS refused, retries exhausted).
/// </param>
/// <param name="LastFailureReason">Why it failed.</param>
public sealed record ApnsHealthSnapshot(
    bool CertificateRejected,
    DateTimeOffset? LastCertificateRejectedAt,
    string? LastCertificateRejectionReason,
    DateTimeOffset? LastDeliveredAt,
    DateTimeOffset? LastFailedAt,
    string? LastFailureReason);
