namespace WalletPasses.Google;

/// <summary>
/// How the latest Google Wallet calls went, for <c>GET /api/health</c>: recorded per call (after the client's
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

/// <param name="LastAnsweredAt">When Google last served a call (any answer but an authentication refusal, 429 or 5xx).</param>
/// <param name="Failing">The latest failure, while no call has succeeded since.</param>
public sealed record GoogleWalletHealthSnapshot(DateTimeOffset? LastAnsweredAt, GoogleCallFailure? Failing);

/// <param name="Authentication">True when Google (or its OAuth endpoint) refused the service account; false for outages.</param>
/// <param name="Detail">Status and Google's status name (e.g. <c>403 PERMISSION_DENIED</c>), or what went wrong; never a token.</param>
public sealed record GoogleCallFailure(DateTimeOffset At, bool Authentication, string Detail);
