namespace WalletPasses.Apple.Apns;

/// <summary>
/// APNs state for the app's health endpoint. One instance per app, shared by every push; thread-safe.
/// </summary>
public sealed class ApnsHealth
{
    private readonly Lock gate = new();
    private DateTimeOffset? lastDeliveredAt;
    private DateTimeOffset? lastCertificateRejectedAt;
    private string? lastCertificateRejectionReason;
    private DateTimeOffset? lastFailedAt;
    private string? lastFailureReason;

    public ApnsHealthSnapshot GetSnapshot()
    {
        lock (gate)
        {
            // A delivery after the last rejection means the certificate was fixed (or only one topic is affected).
            var rejected = lastCertificateRejectedAt is { } rejectedAt && !(lastDeliveredAt > rejectedAt);
            return new ApnsHealthSnapshot(
                rejected,
                lastCertificateRejectedAt,
                lastCertificateRejectionReason,
                lastDeliveredAt,
                lastFailedAt,
                lastFailureReason);
        }
    }

    internal void RecordDelivered(DateTimeOffset at)
    {
        lock (gate)
        {
            lastDeliveredAt = at;
        }
    }

    internal void RecordCertificateRejected(DateTimeOffset at, string reason)
    {
        lock (gate)
        {
            lastCertificateRejectedAt = at;
            lastCertificateRejectionReason = reason;
        }
    }

    internal void RecordFailed(DateTimeOffset at, string reason)
    {
        lock (gate)
        {
            lastFailedAt = at;
            lastFailureReason = reason;
        }
    }
}

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
