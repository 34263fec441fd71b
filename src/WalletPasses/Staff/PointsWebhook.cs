using System.Net;
using System.Net.Http.Headers;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Polly;
using WalletPasses.Security;
using WalletPasses.Storage;

namespace WalletPasses.Staff;

/// <summary>
/// Optional push of points redemption requests to the loyalty backend: <c>POST {PointsWebhookUrl}</c> with
/// the <c>points.redemption.requested</c> JSON, an <c>Idempotency-Key</c> (the redemption id) and
/// <c>X-WalletPasses-Signature</c> (see <see cref="RequestSignatures"/>), signed afresh for every attempt. A request
/// is stored, tried at once, and retried by <see cref="PointsWebhookJob"/> with exponential back-off and jitter
/// (408, 429, 5xx, network errors) until accepted or <see cref="StaffOptions.PointsWebhookRetries"/> retries are spent.
/// The <c>pass-activity</c> message, queued before staff get their answer, stays the backend's durable record.
/// </summary>
public sealed partial class PointsWebhook(
    IHttpClientFactory httpClients,
    StorageClients storage,
    IOptions<StaffOptions> options,
    TimeProvider time,
    ILogger<PointsWebhook> logger)
{
    public const string HttpClientName = "points-webhook";
    private const int MaxPerRun = 100;
    private const int Concurrency = 4;
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMinutes(2);

    // Longer than one attempt (10 s time-out): a claim whose instance died expires.
    private static readonly TimeSpan ClaimLease = TimeSpan.FromMinutes(1);

    public bool Enabled => !string.IsNullOrWhiteSpace(options.Value.PointsWebhookUrl);

    private TableClient Pending => storage.Table(StorageNames.PointsWebhookTable);

    /// <summary>Stores the request (once per redemption id) and makes the first attempt without holding up the caller.</summary>
    public async Task EnqueueAsync(string redemptionId, string json, CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return;
        }

        var row = new PointsWebhookEntity { PartitionKey = redemptionId, Json = json, NextAttemptAt = time.GetUtcNow() + ClaimLease };
        try
        {
            row.ETag = (await Pending.AddEntityAsync(row, cancellationToken)).Headers.ETag ?? ETag.All;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return; // stored by an earlier attempt of the same redemption: the job delivers it
        }

        // The stored row is the durable part: if this process stops first, the job makes the attempt.
        _ = Task.Run(() => AttemptAsync(row, CancellationToken.None), CancellationToken.None);
    }

    /// <summary>One run of <see cref="PointsWebhookJob"/>: every due request, claimed by ETag so two instances never both send it.</summary>
    public async Task DeliverDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var due = new List<PointsWebhookEntity>();
        await foreach (var row in Pending.QueryAsync<PointsWebhookEntity>(row => row.NextAttemptAt <= now, maxPerPage: MaxPerRun, cancellationToken: cancellationToken))
        {
            due.Add(row);
            if (due.Count == MaxPerRun)
            {
                break;
            }
        }

        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken }, async (row, token) =>
        {
            row.NextAttemptAt = time.GetUtcNow() + ClaimLease;
            if (await TryUpdateAsync(row, token))
            {
                await AttemptAsync(row, token);
            }
        });
    }

    /// <summary>The webhook's HttpClient: one attempt per call (the retries are the job's), signed afresh.</summary>
    public static void AddHttpClient(IServiceCollection services)
    {
        services.AddTransient<SigningHandler>();
        var client = services.AddHttpClient(HttpClientName);
        client.AddResilienceHandler("points-webhook-timeout", pipeline =>
        {
            pipeline.TimeProvider = TimeProvider.System; // a network timeout is wall-clock time, not the app's (testable) clock
            pipeline.AddTimeout(TimeSpan.FromSeconds(10));
        });
        client.AddHttpMessageHandler<SigningHandler>();
    }

    private async Task AttemptAsync(PointsWebhookEntity row, CancellationToken cancellationToken)
    {
        try
        {
            var status = await SendAsync(row, cancellationToken);
            if (status is { } code && (int)code < 300)
            {
                await DeleteAsync(row, cancellationToken);
                return;
            }

            if (status is { } refused && !IsTransient(refused))
            {
                LogRejected(logger, row.PartitionKey, (int)refused);
                await DeleteAsync(row, cancellationToken);
                return;
            }

            row.Attempts++;
            if (row.Attempts > options.Value.PointsWebhookRetries)
            {
                LogGaveUp(logger, row.PartitionKey, row.Attempts);
                await DeleteAsync(row, cancellationToken);
                return;
            }

            row.NextAttemptAt = time.GetUtcNow() + RetryDelay(row.Attempts);
            await TryUpdateAsync(row, cancellationToken);
        }
        catch (Exception e) when (e is RequestFailedException or OperationCanceledException)
        {
            // Storage failed (or shutting down): the claim expires and the job tries again.
            LogStorageFailed(logger, e, row.PartitionKey);
        }
    }

    /// <returns>The backend's status; null when it could not be reached.</returns>
    private async Task<HttpStatusCode?> SendAsync(PointsWebhookEntity row, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, options.Value.PointsWebhookUrl)
            {
                Content = new StringContent(row.Json, new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" }),
            };
            request.Headers.Add("Idempotency-Key", row.PartitionKey);
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
            return response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException or Polly.Timeout.TimeoutRejectedException)
        {
            LogUnreachable(logger, e, row.PartitionKey);
            return null;
        }
    }

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    /// <summary>Exponential from <see cref="StaffOptions.PointsWebhookRetryDelay"/>, capped at two minutes, with up to 25% jitter.</summary>
    private TimeSpan RetryDelay(int attempts)
    {
        var delay = Math.Min(options.Value.PointsWebhookRetryDelay.Ticks * (1L << Math.Min(attempts - 1, 20)), MaxRetryDelay.Ticks);
        return TimeSpan.FromTicks(delay + (long)(delay * 0.25 * Random.Shared.NextDouble()));
    }

    private async Task<bool> TryUpdateAsync(PointsWebhookEntity row, CancellationToken cancellationToken)
    {
        try
        {
            row.ETag = (await Pending.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken)).Headers.ETag ?? row.ETag;
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return false; // delivered or claimed by another attempt meanwhile
        }
    }

    private async Task DeleteAsync(PointsWebhookEntity row, CancellationToken cancellationToken)
    {
        try
        {
            await Pending.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Removed by a concurrent attempt.
        }
    }

    [LoggerMessage(LogLevel.Warning, "Points redemption {RedemptionId}: the webhook answered {Status}; not retried, the backend still gets it from pass-activity")]
    private static partial void LogRejected(ILogger logger, string redemptionId, int status);

    [LoggerMessage(LogLevel.Warning, "Points redemption {RedemptionId}: the webhook failed {Attempts} times; given up, the backend still gets it from pass-activity")]
    private static partial void LogGaveUp(ILogger logger, string redemptionId, int attempts);

    [LoggerMessage(LogLevel.Information, "Points redemption {RedemptionId}: the webhook could not be reached; retrying later")]
    private static partial void LogUnreachable(ILogger logger, Exception exception, string redemptionId);

    [LoggerMessage(LogLevel.Warning, "Points redemption {RedemptionId}: the webhook's storage failed; the job retries")]
    private static partial void LogStorageFailed(ILogger logger, Exception exception, string redemptionId);

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
