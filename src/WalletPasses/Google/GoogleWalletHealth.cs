namespace WalletPasses.Google;

/// <summary>
/// How the latest Google Wallet calls went, for <c>GET /api/health</c>: recorded per attempt (inside the client's
/// retries) by <see cref="GoogleWalletHealthHandler"/>. One per app, registered whether or not Google is on; thread-safe.
/// </summary>
public sealed class GoogleWalletHealth
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _lastAnsweredAt;
    private GoogleCallFailure? _lastFailure;

    public GoogleWalletHealthSnapshot GetSnapshot()
    {
        lock (_gate)
        {
            // A call Google served after the failure means it is working again.
            var failing = _lastFailure is { } failure && !(_lastAnsweredAt > failure.At) ? failure : null;
            return new GoogleWalletHealthSnapshot(_lastAnsweredAt, failing);
        }
    }

    internal void RecordAnswered(DateTimeOffset at)
    {
        lock (_gate)
        {
            _lastAnsweredAt = at;
        }
    }

    internal void RecordFailed(GoogleCallFailure failure)
    {
        lock (_gate)
        {
            _lastFailure = failure;
        }
    }
}
