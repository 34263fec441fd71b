using System.Net;
using System.Threading.RateLimiting;

namespace WalletPasses.Google;

/// <summary>
/// Holds each request until the shared token bucket has a token, so the service stays under Google's
/// per-second limit instead of collecting 429s. Sits inside the retry handler: every attempt pays.
/// </summary>
internal sealed class ClientRateLimitHandler(RateLimiter limiter) : DelegatingHandler
{
    /// <summary>
    /// Set on the attempt's request once the limiter let it through: until then nothing of it has gone to Google, so a
    /// 429 or a caller giving up is the app's own limit (<see cref="GoogleWalletHealthHandler"/> tells them apart).
    /// </summary>
    public static readonly HttpRequestOptionsKey<bool> Admitted = new("WalletPasses.Google.ClientRateLimitAdmitted");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Options.Set(Admitted, false);
        using var lease = await limiter.AcquireAsync(1, cancellationToken);
        if (!lease.IsAcquired)
        {
            // The wait queue is full: answer like a throttling server so the retry back-off applies.
            return new HttpResponseMessage(HttpStatusCode.TooManyRequests) { RequestMessage = request };
        }

        request.Options.Set(Admitted, true);
        return await base.SendAsync(request, cancellationToken);
    }

    /// <summary>Whether the limiter held this attempt back (it never reached Google).</summary>
    public static bool HeldBack(HttpRequestMessage request) => !(request.Options.TryGetValue(Admitted, out var admitted) && admitted);

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
