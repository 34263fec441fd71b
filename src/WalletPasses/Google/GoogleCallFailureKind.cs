using System.Text.Json.Serialization;

namespace WalletPasses.Google;

/// <summary>What a failed Google Wallet call says an operator should look at; each kind has its own health reason.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<GoogleCallFailureKind>))]
public enum GoogleCallFailureKind
{
    /// <summary>Google (or its OAuth endpoint) refused the service account: 401, 403 <c>permissionDenied</c>, <c>invalid_grant</c>.</summary>
    ServiceAccountRefused,

    /// <summary>
    /// Google refused what the app sent (400: <c>invalidResource</c>, <c>INVALID_ARGUMENT</c>), a final answer that a retry
    /// repeats: a class or object field, usually from the program template, must be fixed.
    /// </summary>
    RequestRefused,

    /// <summary>Google answered with a 5xx (the OAuth token endpoint's too): its own failure, not the network's.</summary>
    GoogleError,

    /// <summary>Google throttled the call: 429, 403 <c>rateLimitExceeded</c> or <c>userRateLimitExceeded</c>.</summary>
    GoogleThrottling,

    /// <summary>No answer reached the app: the connection failed, or the caller stopped waiting for Google.</summary>
    NoAnswer,

    /// <summary>The app's own rate limit held the call back (its queue was full, or the caller stopped waiting in it); Google never saw it.</summary>
    ClientRateLimit,
}
