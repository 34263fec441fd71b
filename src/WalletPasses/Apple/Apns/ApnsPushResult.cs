namespace WalletPasses.Apple.Apns;

/// <summary>What became of one push. A closed set: match on the nested records.</summary>
public abstract record ApnsPushResult
{
    private ApnsPushResult()
    {
    }

    /// <summary>APNs accepted the push.</summary>
    /// <param name="ApnsId">The <c>apns-id</c> APNs assigned, for correlating with Apple's push console.</param>
    public sealed record Delivered(string? ApnsId) : ApnsPushResult;

    /// <summary>
    /// The token will never work again (410, or 400 BadDeviceToken / DeviceTokenNotForTopic, or a token
    /// that is not even well-formed): the caller removes the device registration, unless the device registered
    /// after <paramref name="InvalidSince"/>.
    /// </summary>
    /// <param name="Reason">APNs's reason (Unregistered, ExpiredToken, BadDeviceToken, ...) or MalformedToken.</param>
    /// <param name="InvalidSince">
    /// A 410's <c>timestamp</c>: "the last time at which APNs confirmed that the device token was no longer valid for the
    /// topic" (Apple, "Handling notification responses from APNs"). Null when APNs sent none (400s, malformed tokens).
    /// </param>
    public sealed record DeviceGone(string Reason, DateTimeOffset? InvalidSince = null) : ApnsPushResult;

    /// <summary>
    /// APNs refused the pass type certificate (403). No push can succeed until an operator replaces it;
    /// <see cref="ApnsHealth"/> reports it too.
    /// </summary>
    public sealed record CertificateRejected(string Reason) : ApnsPushResult;

    /// <summary>The push did not go through and retrying now would not help; the registration stays.</summary>
    /// <param name="Reason">APNs's reason, or a description of the network or TLS failure.</param>
    /// <param name="StatusCode">The last HTTP status, or null when no response arrived.</param>
    /// <param name="Attempts">Requests made, retries included.</param>
    /// <param name="RetryAfter">Set when APNs asked for a longer pause than the client waits for.</param>
    public sealed record Failed(string Reason, int? StatusCode, int Attempts, TimeSpan? RetryAfter) : ApnsPushResult;
}
