using System.Net;
using System.Threading.RateLimiting;

namespace WalletPasses.Google;

/// <summary>
/// Holds each request until the shared token bucket has a token, so the service stays under Google's
/// per-second limit instead of collecting 429s. Sits inside the retry handler: every attempt pays.
/// </summary>
internal sealed class ClientRateLimitHandler(RateLimiter limiter) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var lease = await limiter.AcquireAsync(1, cancellationToken);
        if (!lease.IsAcquired)
        {
            // The wait queue is full: answer like a throttling server so the retry back-off applies.
            return new HttpResponseMessage(HttpStatusCode.TooManyRequests) { RequestMessage = request };
        }

        return await base.SendAsync(request, cancellationToken);
    }

    /// <summary>
    /// Refills one token every 1/<paramref name="requestsPerSecond"/> s up to a one-second burst, so the long-run
    /// rate is <paramref name="requestsPerSecond"/>.
    /// </summary>
    public static RateLimiter CreateLimiter(int requestsPerSecond) =>
        new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = requestsPerSecond,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1.0 / requestsPerSecond),
            AutoReplenishment = true,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            QueueLimit = 10_000,
        });
}
