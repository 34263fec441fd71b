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
