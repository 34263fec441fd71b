namespace WalletPasses.Google;

/// <summary>
/// How the latest Google Wallet calls went, for <c>GET /api/health</c>: recorded per attempt (inside the client's
/// retries) by <see cref="GoogleWalletHealthHandler"/>. One per app, registered whether or not Google is on; thread-safe.
/// </summary>
/// <remarks>
/// An outage, a refused key or throttling ends when any call is served again. A refused write (400) does not: Google
/// refused that object's or class's content, and other members' objects going through says nothing about it. It stays
/// until a write of the same resource is served (the operator fixed the template and the update was sent again, or the
/// member changed), kept for at most <see cref="MaxRefusedResources"/> resources (the oldest forgotten first).
/// </remarks>
public sealed class GoogleWalletHealth
{
    internal const int MaxRefusedResources = 1_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, GoogleCallFailure> _refused = new(StringComparer.Ordinal);
    private DateTimeOffset? _lastAnsweredAt;
    private GoogleCallFailure? _lastFailure;

    public GoogleWalletHealthSnapshot GetSnapshot()
    {
        lock (_gate)
        {
            // A call Google served after the failure means it is working again.
            var failing = _lastFailure is { } failure && !(_lastAnsweredAt > failure.At) ? failure : null;
            var refused = _refused.Count == 0 ? null : _refused.Values.MaxBy(refusal => refusal.At);
            var latest = refused is not null && !(failing?.At > refused.At) ? refused : failing;
            return new GoogleWalletHealthSnapshot(_lastAnsweredAt, latest, _refused.Count);
        }
    }

    internal void RecordAnswered(DateTimeOffset at, string? writtenResource)
    {
        lock (_gate)
        {
            _lastAnsweredAt = at;
            if (writtenResource is not null)
            {
                _refused.Remove(writtenResource);
            }
        }
    }

    internal void RecordFailed(GoogleCallFailure failure)
    {
        lock (_gate)
        {
            _lastFailure = failure;
        }
    }

    internal void RecordRefused(string resource, GoogleCallFailure failure)
    {
        lock (_gate)
        {
            if (_refused.Count >= MaxRefusedResources && !_refused.ContainsKey(resource))
            {
                _refused.Remove(_refused.MinBy(refusal => refusal.Value.At).Key);
            }

            _refused[resource] = failure;
        }
    }
}
