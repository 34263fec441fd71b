using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace WalletPasses.Apple.Apns;

/// <summary>
/// Sends pass-update pushes to APNs over HTTP/2 with the Pass Type ID certificate as TLS client
/// certificate. Owns one long-lived connection pool, so register it as a singleton.
/// </summary>
public sealed partial class ApnsClient : IApnsClient, IDisposable
{
    private const string MalformedTokenReason = "MalformedToken";
    private const int MaxErrorBodyBytes = 64 * 1024;

    /// <summary>Apple's APNs host for development builds: production passes' tokens are unknown there.</summary>
    public const string SandboxHost = "api.sandbox.push.apple.com";

    private static readonly TimeSpan SameTokenPause = TimeSpan.FromSeconds(1);

    // Pass updates carry no payload: the device fetches the pass from the web service.
    private static readonly ReadOnlyMemory<byte> EmptyPayload = "{}"u8.ToArray();

    private readonly AppleOptions options;
    private readonly string deviceEndpointPrefix;
    private readonly HttpClient httpClient;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<HttpClient>> topicClients = new(StringComparer.Ordinal);
    private readonly IApnsClientCertificateSource certificateSource;
    private readonly X509Certificate2Collection? extraTrustedRoots;
    private readonly ApnsHealth health;
    private readonly ILogger<ApnsClient> logger;
    private readonly TimeProvider timeProvider;

    public ApnsClient(
        IOptions<AppleOptions> options,
        IApnsClientCertificateSource certificateSource,
        ApnsHealth health,
        ILogger<ApnsClient> logger,
        TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(certificateSource);
        ArgumentNullException.ThrowIfNull(health);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(timeProvider);

        this.options = options.Value;
        this.health = health;
        this.logger = logger;
        this.timeProvider = timeProvider;
        deviceEndpointPrefix = this.options.ApnsBaseUrl.AbsoluteUri.TrimEnd('/') + "/3/device/";

        extraTrustedRoots = string.IsNullOrWhiteSpace(this.options.ApnsTrustedRootFile)
            ? null
            : ApnsServerCertificateValidator.LoadTrustedRoots(this.options.ApnsTrustedRootFile);
        this.certificateSource = certificateSource;
        httpClient = NewHttpClient(certificateSource.GetCertificate);
    }

    /// <summary>
    /// The client whose connections authenticate with the topic's certificate: a program with its own Pass Type ID
    /// certificate pushes over its own connections (APNs accepts a topic only from its certificate).
    /// </summary>
    private HttpClient ClientFor(string topic) =>
        certificateSource.HasOwnCertificate(topic)
            ? topicClients.GetOrAdd(topic, t => new Lazy<HttpClient>(() => NewHttpClient(() => certificateSource.GetCertificate(t)))).Value
            : httpClient;

    private HttpClient NewHttpClient(Func<X509Certificate2> certificate)
    {
        var handler = new SocketsHttpHandler
        {
            // One HTTP/2 connection carries many streams; more connections open only when its stream limit is reached.
            EnableMultipleHttp2Connections = true,
            PooledConnectionLifetime = options.ApnsConnectionLifetime,
            // Apple wants connections kept open between bursts rather than reopened; HTTP/2 PINGs (which Apple
            // recommends) notice a silently dropped connection before a push is stuck on it.
            PooledConnectionIdleTimeout = options.ApnsConnectionLifetime,
            KeepAlivePingDelay = TimeSpan.FromMinutes(1),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(20),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
            ConnectTimeout = options.ApnsRequestTimeout,
            SslOptions = new SslClientAuthenticationOptions
            {
                // Asked per new connection, so a renewed certificate is used once old connections expire.
                LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate(),
                RemoteCertificateValidationCallback = new ApnsServerCertificateValidator(extraTrustedRoots).Validate,
            },
        };

        return new HttpClient(handler)
        {
            Timeout = options.ApnsRequestTimeout,
            MaxResponseContentBufferSize = MaxErrorBodyBytes,
        };
    }

    public async Task<ApnsPushResult> PushAsync(string pushToken, string passTypeIdentifier, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pushToken);
        ArgumentException.ThrowIfNullOrWhiteSpace(passTypeIdentifier);

        if (!ApnsPushToken.IsValid(pushToken))
        {
            // Not worth a request: APNs would answer BadDeviceToken, and the token may be arbitrary junk.
            LogMalformedToken(pushToken.Length);
            return new ApnsPushResult.DeviceGone(MalformedTokenReason);
        }

        var redactedToken = ApnsPushToken.Redact(pushToken);
        var result = await SendWithRetriesAsync(pushToken, redactedToken, passTypeIdentifier, cancellationToken).ConfigureAwait(false);
        Report(result, redactedToken, passTypeIdentifier);
        return result;
    }

    public async Task<IReadOnlyList<ApnsPushOutcome>> PushManyAsync(
        IEnumerable<string> pushTokens,
        string passTypeIdentifier,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pushTokens);
        ArgumentException.ThrowIfNullOrWhiteSpace(passTypeIdentifier);

        var distinctTokens = pushTokens.Distinct(StringComparer.Ordinal).ToArray();
        var results = new ApnsPushResult[distinctTokens.Length];
        var parallelism = new ParallelOptions
        {
            MaxDegreeOfParallelism = options.ApnsMaxConcurrentPushes,
            CancellationToken = cancellationToken,
        };

        await Parallel.ForEachAsync(
            Enumerable.Range(0, distinctTokens.Length),
            parallelism,
            async (index, token) => results[index] = await PushAsync(distinctTokens[index], passTypeIdentifier, token).ConfigureAwait(false))
            .ConfigureAwait(false);

        return [.. distinctTokens.Select((pushToken, index) => new ApnsPushOutcome(pushToken, results[index]))];
    }

    public void Dispose()
    {
        httpClient.Dispose();
        foreach (var client in topicClients.Values.Where(c => c.IsValueCreated))
        {
            client.Value.Dispose();
        }
    }

    private async Task<ApnsPushResult> SendWithRetriesAsync(string pushToken, string redactedToken, string topic, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var outcome = await SendOnceAsync(pushToken, redactedToken, topic, attempt, cancellationToken).ConfigureAwait(false);
            if (outcome.Result is { } result)
            {
                return result;
            }

            if (attempt >= options.ApnsMaxAttempts)
            {
                return new ApnsPushResult.Failed(outcome.Reason, outcome.StatusCode, attempt, RetryAfter: null);
            }

            var delay = outcome.RetryAfter ?? BackOff(attempt);
            if (outcome.StatusCode == (int)HttpStatusCode.TooManyRequests && delay < SameTokenPause)
            {
                // 429 is "too many requests for the same device token": a retry within the same second is one more.
                delay = SameTokenPause;
            }

            if (delay > options.ApnsMaxRetryDelay)
            {
                // Waiting that long here would hold the caller (and its fan-out slot); let it reschedule instead.
                return new ApnsPushResult.Failed(outcome.Reason, outcome.StatusCode, attempt, delay);
            }

            LogRetrying(redactedToken, outcome.Reason, attempt, (long)delay.TotalMilliseconds);
            await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<AttemptOutcome> SendOnceAsync(string pushToken, string redactedToken, string topic, int attempt, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, deviceEndpointPrefix + pushToken)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ReadOnlyMemoryContent(EmptyPayload),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("apns-topic", topic);

        try
        {
            using var response = await ClientFor(topic).SendAsync(request, cancellationToken).ConfigureAwait(false);
            return await InterpretAsync(response, attempt, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError == HttpRequestError.SecureConnectionError)
        {
            // An untrusted server or a refused client certificate fails the same way on every retry.
            LogTlsFailure(ex, redactedToken);
            return AttemptOutcome.Done(new ApnsPushResult.Failed($"TLS handshake failed: {ex.InnerException?.Message ?? ex.Message}", StatusCode: null, attempt, RetryAfter: null));
        }
        catch (HttpRequestException ex)
        {
            return AttemptOutcome.Transient($"Network error ({ex.HttpRequestError}): {ex.Message}", statusCode: null, retryAfter: null);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return AttemptOutcome.Transient($"No response within {options.ApnsRequestTimeout}", statusCode: null, retryAfter: null);
        }
    }

    private async Task<AttemptOutcome> InterpretAsync(HttpResponseMessage response, int attempt, CancellationToken cancellationToken)
    {
        var statusCode = (int)response.StatusCode;
        if (response.StatusCode == HttpStatusCode.OK)
        {
            var apnsId = response.Headers.TryGetValues("apns-id", out var ids) ? ids.FirstOrDefault() : null;
            return AttemptOutcome.Done(new ApnsPushResult.Delivered(apnsId));
        }

        var error = await ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
        var reason = error.Reason ?? $"HTTP {statusCode}";
        return statusCode switch
        {
            (int)HttpStatusCode.Gone => AttemptOutcome.Done(new ApnsPushResult.DeviceGone(reason, error.Timestamp)),
            (int)HttpStatusCode.BadRequest when reason is "BadDeviceToken" or "DeviceTokenNotForTopic" =>
                AttemptOutcome.Done(new ApnsPushResult.DeviceGone(reason)),
            (int)HttpStatusCode.Forbidden => AttemptOutcome.Done(new ApnsPushResult.CertificateRejected(reason)),
            // Apple, "Handling notification responses from APNs": 429 too many requests for the same token, 500 internal
            // error, 503 shutting down; 502 and 504 come from the HTTP path in front of it and pass as well.
            (int)HttpStatusCode.TooManyRequests or (int)HttpStatusCode.InternalServerError or (int)HttpStatusCode.BadGateway
                or (int)HttpStatusCode.ServiceUnavailable or (int)HttpStatusCode.GatewayTimeout =>
                AttemptOutcome.Transient(reason, statusCode, ReadRetryAfter(response)),
            _ => AttemptOutcome.Done(new ApnsPushResult.Failed(reason, statusCode, attempt, RetryAfter: null)),
        };
    }

    /// <summary>
    /// APNs explains errors as <c>{"reason":"..."}</c>, a 410 with a <c>timestamp</c> too (milliseconds since the epoch,
    /// Apple's "Handling notification responses from APNs"); whatever is missing or of another shape is null.
    /// </summary>
    private static async Task<(string? Reason, DateTimeOffset? Timestamp)> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (body.Length == 0)
        {
            return (null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, null);
            }

            var reason = document.RootElement.TryGetProperty("reason", out var reasonValue) && reasonValue.ValueKind == JsonValueKind.String
                ? reasonValue.GetString()
                : null;
            return (reason, ReadTimestamp(document.RootElement));
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    /// <summary>Null, so the caller removes the registration as without one, for a timestamp that is no instant.</summary>
    private static DateTimeOffset? ReadTimestamp(JsonElement error) =>
        error.TryGetProperty("timestamp", out var timestamp)
            && timestamp.ValueKind == JsonValueKind.Number
            && timestamp.TryGetInt64(out var milliseconds)
            && milliseconds >= 0
            && milliseconds <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()
            ? DateTimeOffset.FromUnixTimeMilliseconds(milliseconds)
            : null;

    private TimeSpan? ReadRetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date > timeProvider.GetUtcNow() ? date - timeProvider.GetUtcNow() : TimeSpan.Zero,
        _ => null,
    };

    /// <summary>Exponential back-off with jitter, so many pushes failing together do not retry in lockstep.</summary>
    private TimeSpan BackOff(int failedAttempts)
    {
        var ceiling = Math.Min(
            options.ApnsInitialRetryDelay.Ticks * Math.Pow(2, failedAttempts - 1),
            options.ApnsMaxRetryDelay.Ticks);
        return TimeSpan.FromTicks((long)((ceiling / 2) + (Random.Shared.NextDouble() * ceiling / 2)));
    }

    private void Report(ApnsPushResult result, string redactedToken, string topic)
    {
        switch (result)
        {
            case ApnsPushResult.Delivered:
                health.RecordDelivered(timeProvider.GetUtcNow());
                LogDelivered(redactedToken, topic);
                break;
            case ApnsPushResult.DeviceGone gone:
                LogDeviceGone(redactedToken, topic, gone.Reason);
                break;
            case ApnsPushResult.CertificateRejected rejected:
                health.RecordCertificateRejected(timeProvider.GetUtcNow(), rejected.Reason);
                LogCertificateRejected(topic, rejected.Reason);
                break;
            case ApnsPushResult.Failed failed:
                health.RecordFailed(timeProvider.GetUtcNow(), failed.Reason);
                LogFailed(redactedToken, topic, failed.Reason, failed.StatusCode, failed.Attempts);
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "APNs accepted the push to {PushToken} for {Topic}")]
    private partial void LogDelivered(string pushToken, string topic);

    [LoggerMessage(Level = LogLevel.Information, Message = "APNs says device {PushToken} is gone for {Topic} ({Reason}); its registration should be removed")]
    private partial void LogDeviceGone(string pushToken, string topic, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Push token rejected without sending: not 64-200 hex characters (length {Length})")]
    private partial void LogMalformedToken(int length);

    [LoggerMessage(Level = LogLevel.Error, Message = "APNs rejected the pass type certificate for {Topic} ({Reason}); no pass updates reach devices until the certificate is fixed")]
    private partial void LogCertificateRejected(string topic, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "TLS with APNs failed while pushing to {PushToken}: check ApnsBaseUrl, ApnsTrustedRootFile and the pass type certificate")]
    private partial void LogTlsFailure(Exception exception, string pushToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retrying push to {PushToken} after attempt {Attempt} ({Reason}) in {DelayMs} ms")]
    private partial void LogRetrying(string pushToken, string reason, int attempt, long delayMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Push to {PushToken} for {Topic} failed after {Attempts} attempt(s): {Reason} (HTTP {StatusCode})")]
    private partial void LogFailed(string pushToken, string topic, string reason, int? statusCode, int attempts);

    /// <summary>One request's verdict: a final result, or a transient failure the retry loop may repeat.</summary>
    private readonly record struct AttemptOutcome(ApnsPushResult? Result, string Reason, int? StatusCode, TimeSpan? RetryAfter)
    {
        public static AttemptOutcome Done(ApnsPushResult result) => new(result, string.Empty, StatusCode: null, RetryAfter: null);

        public static AttemptOutcome Transient(string reason, int? statusCode, TimeSpan? retryAfter) => new(Result: null, reason, statusCode, retryAfter);
    }
}
