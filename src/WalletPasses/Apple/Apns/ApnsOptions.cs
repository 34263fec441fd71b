namespace WalletPasses.Apple.Apns;

/// <summary>
/// How the service reaches APNs. Bound from the <c>WalletPasses:Apple</c> section, which it shares with
/// the other Apple settings; hence the <c>Apns</c> prefix on every key
/// (environment variable <c>WalletPasses__Apple__ApnsBaseUrl</c> and so on).
/// </summary>
public sealed class ApnsOptions
{
    public const string Section = "WalletPasses:Apple";

    /// <summary>
    /// APNs endpoint; pushes go to <c>{ApnsBaseUrl}/3/device/{pushToken}</c>. Pass updates are production only:
    /// start-up warns when this is Apple's sandbox host.
    /// </summary>
    public Uri ApnsBaseUrl { get; set; } = new("https://api.push.apple.com");

    /// <summary>
    /// Optional PEM file with one or more extra root certificates trusted for the APNs server, in addition to
    /// the system trust store. Meant for a local APNs emulator; leave unset in production.
    /// </summary>
    public string? ApnsTrustedRootFile { get; set; }

    /// <summary>Upper bound on pushes in flight from one <see cref="IApnsClient.PushManyAsync"/> call.</summary>
    public int ApnsMaxConcurrentPushes { get; set; } = 100;

    /// <summary>
    /// Attempts per push, the first one included, for 429/500/502/503/504 answers and network errors. A 429 is
    /// retried a second later at the soonest (it is about this very token).
    /// </summary>
    public int ApnsMaxAttempts { get; set; } = 4;

    /// <summary>Back-off before the first retry; it doubles per retry (with jitter) up to <see cref="ApnsMaxRetryDelay"/>.</summary>
    public TimeSpan ApnsInitialRetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Longest wait between attempts. A Retry-After longer than this ends the retries, so a push never
    /// blocks its caller for long; the result then carries the Retry-After for the caller to reschedule.
    /// </summary>
    public TimeSpan ApnsMaxRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Time limit of one attempt (connect, TLS and response).</summary>
    public TimeSpan ApnsRequestTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long one HTTP/2 connection is reused. Long, because Apple treats frequent reconnects as abuse;
    /// finite, so a renewed pass type certificate and DNS changes are picked up without a restart.
    /// </summary>
    public TimeSpan ApnsConnectionLifetime { get; set; } = TimeSpan.FromHours(1);
}
