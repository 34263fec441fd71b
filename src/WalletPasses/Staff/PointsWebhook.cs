using System.Net.Http.Headers;
using System.Threading.Channels;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using WalletPasses.Security;

namespace WalletPasses.Staff;

/// <summary>
/// Optional push of points redemption requests to the loyalty backend: <c>POST {PointsWebhookUrl}</c> with
/// the <c>points.redemption.requested</c> JSON, an <c>Idempotency-Key</c> (the redemption id) and
/// <c>X-WalletPasses-Signature</c> (see <see cref="RequestSignatures"/>), retried with exponential back-off.
/// Sent in the background: the <c>pass-activity</c> message, queued before staff get their answer, is the
/// durable record; the webhook only makes the backend hear of it sooner.
/// </summary>
public sealed partial class PointsWebhook(
    IHttpClientFactory httpClients,
    IOptions<StaffOptions> options,
    ILogger<PointsWebhook> logger) : BackgroundService
{
    public const string HttpClientName = "points-webhook";
    private const int MaxPending = 1000;
    private const int MaxConcurrentDeliveries = 4;

    private readonly Channel<(string Id, string Json)> _pending = Channel.CreateBounded<(string, string)>(new BoundedChannelOptions(MaxPending) { FullMode = BoundedChannelFullMode.DropWrite });

    public bool Enabled => !string.IsNullOrWhiteSpace(options.Value.PointsWebhookUrl);

    public void Enqueue(string redemptionId, string json)
    {
        if (Enabled && !_pending.Writer.TryWrite((redemptionId, json)))
        {
            LogDropped(logger, redemptionId);
        }
    }

    /// <summary>The webhook's HttpClient: retries outermost, then a fresh signature for every attempt.</summary>
    public static void AddHttpClient(IServiceCollection services)
    {
        services.AddTransient<SigningHandler>();
        var client = services.AddHttpClient(HttpClientName);
        client.AddResilienceHandler("points-webhook-retry", (pipeline, context) =>
        {
            var staff = context.ServiceProvider.GetRequiredService<IOptions<StaffOptions>>().Value;

            // Back-off is wall-clock time, whatever clock the business logic runs on.
            pipeline.TimeProvider = TimeProvider.System;
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = staff.PointsWebhookRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = staff.PointsWebhookRetryDelay,
                MaxDelay = TimeSpan.FromMinutes(2),
            });
            pipeline.AddTimeout(TimeSpan.FromSeconds(10));
        });
        client.AddHttpMessageHandler<SigningHandler>();
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Parallel.ForEachAsync(
            _pending.Reader.ReadAllAsync(stoppingToken),
            new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrentDeliveries, CancellationToken = stoppingToken },
            async (message, token) =>
            {
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, options.Value.PointsWebhookUrl)
                    {
                        Content = new StringContent(message.Json, new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" }),
                    };
                    request.Headers.Add("Idempotency-Key", message.Id);
                    using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, token);
                    if (!response.IsSuccessStatusCode)
                    {
                        LogRejected(logger, message.Id, (int)response.StatusCode);
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TimeoutException or Polly.Timeout.TimeoutRejectedException)
                {
                    LogFailed(logger, e, message.Id);
                }
            });

    [LoggerMessage(LogLevel.Warning, "Points redemption {RedemptionId}: webhook queue full; the backend still gets it from pass-activity")]
    private static partial void LogDropped(ILogger logger, string redemptionId);

    [LoggerMessage(LogLevel.Warning, "Points redemption {RedemptionId}: the webhook answered {Status} after retries; the backend still gets it from pass-activity")]
    private static partial void LogRejected(ILogger logger, string redemptionId, int status);

    [LoggerMessage(LogLevel.Warning, "Points redemption {RedemptionId}: the webhook could not be reached after retries; the backend still gets it from pass-activity")]
    private static partial void LogFailed(ILogger logger, Exception exception, string redemptionId);

    /// <summary>Signs each attempt anew, so a late retry still carries a fresh timestamp.</summary>
    private sealed class SigningHandler(IOptions<StaffOptions> options, TimeProvider time) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
            request.Headers.Remove(RequestSignatures.Header);
            request.Headers.Add(RequestSignatures.Header, RequestSignatures.Create(options.Value.PointsWebhookSecret ?? "", time.GetUtcNow(), body));
            return await base.SendAsync(request, cancellationToken);
        }
    }
}
