using System.Net;
using Google.Apis.Auth.OAuth2.Responses;

namespace WalletPasses.Google;

/// <summary>
/// First handler inside the Wallet API client's retries: records each attempt's outcome in <see cref="GoogleWalletHealth"/>
/// (a failed attempt that a retry then gets answered is superseded by that answer). Authentication failures are 401, a 403 other than the notification quota
/// (Google's <c>permissionDenied</c>: the service account is not authorised on the issuer) and an OAuth token
/// endpoint refusal (<c>invalid_grant</c>, raised as <see cref="TokenResponseException"/> by Google.Apis.Auth);
/// outages are 429, a 403 rate limit (<c>rateLimitExceeded</c>, <c>userRateLimitExceeded</c>), 5xx (the token endpoint's too) and no answer. Any other answer (404, 409, 400) shows Google reachable and the key accepted.
/// </summary>
internal sealed class GoogleWalletHealthHandler(GoogleWalletHealth health, TimeProvider time) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken);
        }
        catch (TokenResponseException e) when ((int?)e.StatusCode >= 500)
        {
            // The endpoint's own failure (Google.Apis.Auth raises it as it raises a refusal): says nothing about the key.
            health.RecordFailed(new GoogleCallFailure(time.GetUtcNow(), false, $"the OAuth token endpoint failed ({(int)e.StatusCode!})"));
            throw;
        }
        catch (TokenResponseException e)
        {
            health.RecordFailed(new GoogleCallFailure(time.GetUtcNow(), true, $"the OAuth token endpoint refused the service account key ({e.Error?.Error ?? "no error code"})"));
            throw;
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            health.RecordFailed(new GoogleCallFailure(time.GetUtcNow(), false, "no answer (connection failed or timed out)"));
            throw;
        }

        var status = (int)response.StatusCode;
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.TooManyRequests || status >= 500)
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken); // read here and again by the client
            var error = await GoogleWalletException.FromResponseAsync(request.Method, "", response, cancellationToken);
            if (!error.IsNotificationQuota)
            {
                // A 403 rateLimitExceeded is Google throttling calls it accepts the key for: an outage, not a refusal.
                var authentication = (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) && !error.IsRateLimit;
                health.RecordFailed(new GoogleCallFailure(time.GetUtcNow(), authentication, $"{status} {error.GoogleStatus ?? error.Reason ?? response.ReasonPhrase}"));
                return response;
            }
        }

        health.RecordAnswered(time.GetUtcNow());
        return response;
    }
}
