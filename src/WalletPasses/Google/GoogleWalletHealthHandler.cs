using System.Diagnostics;
using System.Globalization;
using System.Net;
using Google.Apis.Auth.OAuth2.Responses;

namespace WalletPasses.Google;

/// <summary>
/// First handler inside the Wallet API client's retries: records each attempt's outcome in <see cref="GoogleWalletHealth"/>
/// (a failed attempt that a retry then gets answered is superseded by that answer), sorted by what an operator should
/// look at (<see cref="GoogleCallFailureKind"/>). The service account is refused on a 401, a 403 other than the notification
/// quota and a rate limit (Google's <c>permissionDenied</c>: the service account is not authorised on the issuer) and an
/// OAuth token endpoint refusal (<c>invalid_grant</c>, raised as <see cref="TokenResponseException"/> by Google.Apis.Auth).
/// Google throttles with a 429 or a 403 rate limit (<c>rateLimitExceeded</c>, <c>userRateLimitExceeded</c>) and fails with
/// a 5xx (the token endpoint's too). A 400 is Google refusing what the app sent (a field, usually from the template): final,
/// and every like update fails until an operator fixes it. No answer is a transport error or a caller that stopped waiting (the sync's
/// IssueTimeout, <see cref="HttpClient.Timeout"/>) unless the app is shutting down (<c>stopping</c>, the host's ApplicationStopping)
/// or the caller hung up before its time-out (<see cref="GoogleCallDeadline"/>).
/// What the app's own rate limit held back (<see cref="ClientRateLimitHandler"/>) is never blamed on Google. Any other
/// answer (404, 409) shows Google reachable and the key accepted.
/// </summary>
internal sealed class GoogleWalletHealthHandler(GoogleWalletHealth health, TimeProvider time, CancellationToken stopping) : DelegatingHandler
{
    /// <summary>The object or class a call reads or writes (<c>loyaltyObject/{id}</c>), set by <see cref="GoogleWalletClient"/>:
    /// a refused write stays in health until a write of the same resource is served.</summary>
    public static readonly HttpRequestOptionsKey<string> Resource = new("WalletPasses.GoogleResource");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // Wall clock: how long the caller waited, which the app's (in tests frozen) TimeProvider does not measure.
        var started = Stopwatch.GetTimestamp();
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken);
        }
        catch (TokenResponseException e) when ((int?)e.StatusCode >= 500)
        {
            // The endpoint's own failure (Google.Apis.Auth raises it as it raises a refusal): says nothing about the key.
            Record(GoogleCallFailureKind.GoogleError, $"the OAuth token endpoint failed ({(int)e.StatusCode!})");
            throw;
        }
        catch (TokenResponseException e)
        {
            Record(GoogleCallFailureKind.ServiceAccountRefused, $"the OAuth token endpoint refused the service account key ({e.Error?.Error ?? "no error code"})");
            throw;
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            Record(GoogleCallFailureKind.NoAnswer, "no answer (connection failed or timed out)");
            throw;
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested && GoogleCallDeadline.CallerGaveUpOnGoogle)
        {
            // The caller stopped waiting (its time-out) for the app's own limit, or for Google, which then never answered
            // within it: a Google that hangs shows only here, as each sync gives up at its IssueTimeout. A caller that hung
            // up before its time-out (GoogleCallDeadline) is not Google's failure and is not recorded.
            var waited = Stopwatch.GetElapsedTime(started).TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
            if (ClientRateLimitHandler.HeldBack(request))
            {
                Record(GoogleCallFailureKind.ClientRateLimit, $"still waiting for the app's own rate limit after {waited} s when the caller stopped waiting");
            }
            else
            {
                Record(GoogleCallFailureKind.NoAnswer, $"no answer within {waited} s, when the caller stopped waiting");
            }

            throw;
        }

        var status = (int)response.StatusCode;
        if (response.StatusCode == HttpStatusCode.TooManyRequests && ClientRateLimitHandler.HeldBack(request))
        {
            Record(GoogleCallFailureKind.ClientRateLimit, "the app's own rate limit turned the call away: its queue of waiting calls is full");
            return response;
        }

        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.TooManyRequests || status >= 500)
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken); // read here and again by the client
            var error = await GoogleWalletException.FromResponseAsync(request.Method, "", response, cancellationToken);
            if (!error.IsNotificationQuota)
            {
                // A 403 rateLimitExceeded is Google throttling calls it accepts the key for: not a refusal.
                var kind = status >= 500 ? GoogleCallFailureKind.GoogleError
                    : response.StatusCode == HttpStatusCode.BadRequest ? GoogleCallFailureKind.RequestRefused
                    : error.IsRateLimit ? GoogleCallFailureKind.GoogleThrottling
                    : GoogleCallFailureKind.ServiceAccountRefused;
                var what = $"{status} {error.GoogleStatus ?? error.Reason ?? response.ReasonPhrase}";
                // Google's message (which names a refused field) stays out: /api/health is anonymous and a message may
                // quote member data. The sync's log line carries it (GoogleSyncWorker, the exception's message).
                if (kind == GoogleCallFailureKind.RequestRefused && request.Options.TryGetValue(Resource, out var refused))
                {
                    health.RecordRefused(refused, new GoogleCallFailure(time.GetUtcNow(), kind, what));
                }
                else
                {
                    Record(kind, what);
                }

                return response;
            }
        }

        var written = response.IsSuccessStatusCode && request.Method != HttpMethod.Get && request.Options.TryGetValue(Resource, out var resource) ? resource : null;
        health.RecordAnswered(time.GetUtcNow(), written);
        return response;
    }

    private void Record(GoogleCallFailureKind kind, string detail) => health.RecordFailed(new GoogleCallFailure(time.GetUtcNow(), kind, detail));
}
