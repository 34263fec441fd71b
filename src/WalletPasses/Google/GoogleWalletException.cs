using System.Net;
using System.Text.Json;

namespace WalletPasses.Google;

/// <summary>
/// A Google Wallet API call failed. Built only from the method, path, status code and Google's error body,
/// so it never carries the request's access token.
/// </summary>
public sealed class GoogleWalletException : Exception
{
    private const int MaxGoogleMessageLength = 1000;

    /// <summary>
    /// The reason Google gives when a pass is past its notifications (3 per 24 hours), as in the 403 body
    /// <c>{"error":{"code":403,"message":"Quota exceeded for issuer ... when adding TEXT_AND_NOTIFY message ...",
    /// "errors":[{"domain":"walletobjects","reason":"quotaExceeded"}]}}</c> (captured in edutap-eu/edutap.wallet_google
    /// issue #3). A 403 that is a missing permission says <c>permissionDenied</c> (google-wallet/rest-samples issue #1).
    /// </summary>
    public const string QuotaExceededReason = "quotaExceeded";

    /// <summary>
    /// The reasons of a 403 that is Google throttling the caller, not refusing it: Google's own discovery-based client
    /// retries exactly these like a 429 (<c>_should_retry_response</c> in googleapis/google-api-python-client
    /// googleapiclient/http.py), and Google's standard error tables say to retry them with exponential back-off.
    /// </summary>
    public static readonly IReadOnlySet<string> RateLimitReasons = new HashSet<string>(StringComparer.Ordinal) { "rateLimitExceeded", "userRateLimitExceeded" };

    public GoogleWalletException(HttpStatusCode statusCode, string? googleStatus, string message, string? reason = null, string? googleMessage = null)
        : base(message)
    {
        StatusCode = statusCode;
        GoogleStatus = googleStatus;
        Reason = reason;
        GoogleMessage = googleMessage;
    }

    public HttpStatusCode StatusCode { get; }

    /// <summary>Google's status string, for example <c>ALREADY_EXISTS</c> or <c>PERMISSION_DENIED</c>; null when the body was not Google's error JSON.</summary>
    public string? GoogleStatus { get; }

    /// <summary>The first <c>errors[].reason</c> of Google's error body, for example <c>quotaExceeded</c>; null when there is none.</summary>
    public string? Reason { get; }

    /// <summary>Google's own <c>error.message</c> (capped), for example <c>Barcode type must be set.</c>; null when there is none.</summary>
    public string? GoogleMessage { get; }

    /// <summary>Google refused a notification because the pass had its 3 in 24 hours: only a 403 that says so.</summary>
    public bool IsNotificationQuota => StatusCode == HttpStatusCode.Forbidden && Reason == QuotaExceededReason;

    /// <summary>Google is throttling: a 429, or a 403 whose reason is a rate limit (<see cref="RateLimitReasons"/>). Transient.</summary>
    public bool IsRateLimit => StatusCode == HttpStatusCode.TooManyRequests
        || (StatusCode == HttpStatusCode.Forbidden && Reason is not null && RateLimitReasons.Contains(Reason));

    /// <summary>Whether <paramref name="response"/> is a 403 that is a rate limit (<see cref="IsRateLimit"/>); reads (and buffers) its body.</summary>
    internal static async Task<bool> IsRateLimitedForbiddenAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.StatusCode != HttpStatusCode.Forbidden)
        {
            return false;
        }

        await response.Content.LoadIntoBufferAsync(cancellationToken); // read here and again by the client
        return (await FromResponseAsync(HttpMethod.Get, "", response, cancellationToken)).IsRateLimit;
    }

    internal static async Task<GoogleWalletException> FromResponseAsync(
        HttpMethod method, string path, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var error = ParseGoogleError(await response.Content.ReadAsStringAsync(cancellationToken));
        var googleMessage = error?.Message is { Length: > MaxGoogleMessageLength } longMessage
            ? longMessage[..MaxGoogleMessageLength] + "…"
            : error?.Message;
        var message = $"Google Wallet {method} {path} answered {(int)response.StatusCode} {error?.Status ?? response.ReasonPhrase}"
            + (googleMessage is null ? "." : ": " + googleMessage);
        return new GoogleWalletException(response.StatusCode, error?.Status, message, error?.Errors?.FirstOrDefault(detail => detail.Reason is not null)?.Reason, googleMessage);
    }

    private static GoogleError? ParseGoogleError(string body)
    {
        try
        {
            return JsonSerializer.Deserialize<GoogleErrorResponse>(body, GoogleWalletJson.Options)?.Error;
        }
        catch (JsonException)
        {
            // Not Google's JSON (an HTML page from a proxy, say): the status code has to do.
            return null;
        }
    }
}
