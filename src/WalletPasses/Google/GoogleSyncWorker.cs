using System.Net;
using System.Threading.Channels;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using WalletPasses.Members;
using WalletPasses.Storage;

namespace WalletPasses.Google;

/// <summary>
/// Table <c>googlepending</c>, PartitionKey = member id: the member's Google object may be behind. Written
/// before any Google call and removed only once the object is up to date, so a Google outage (or a crash)
/// loses no update; it holds only the members still to do, so finding them is a scan of a small table.
/// </summary>
public sealed class GooglePendingEntity : ITableEntity
{
    public const string RowKeyValue = "pending";

    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = RowKeyValue;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    /// <summary>When the background sweep takes it up (if the prompt sync has not cleared it by then).</summary>
    public DateTimeOffset NextAttemptAt { get; set; }

    /// <summary>Failed attempts since the last success; the retry delay doubles with each.</summary>
    public int Attempts { get; set; }

    /// <summary>The last failure, for operators (Google's error message; never a token).</summary>
    public string? LastError { get; set; }
}

/// <summary>
/// Runs Google object syncs off the event pipeline: a change is marked durably (one storage write, the only
/// thing the pipeline waits for), synced promptly in the background, and on failure retried by a sweep with
/// back-off until Google has it.
/// </summary>
public sealed partial class GoogleSyncWorker(
    StorageClients storage,
    GoogleObjectSync objects,
    IOptions<GoogleWalletOptions> options,
    TimeProvider time,
    ILogger<GoogleSyncWorker> logger) : BackgroundService
{
    private const int Concurrency = 4;
    private const int MaxErrorLength = 500;

    // Full: the change is dropped here only; its durable mark brings it back with the next sweep.
    private readonly Channel<string> _soon = Channel.CreateBounded<string>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropWrite });

    private TableClient Pending => storage.Table(StorageNames.GooglePendingTable);

    /// <summary>Records that the member's object may be behind. Due for the sweep one retry interval from now.</summary>
    public async Task MarkAsync(string memberId, CancellationToken cancellationToken) =>
        await Pending.UpsertEntityAsync(
            new GooglePendingEntity { PartitionKey = memberId, NextAttemptAt = time.GetUtcNow() + options.Value.SyncRetryInterval },
            TableUpdateMode.Replace,
            cancellationToken);

    /// <summary>Syncs the (marked) member in the background, as soon as a worker is free.</summary>
    public void SyncSoon(string memberId) => _soon.Writer.TryWrite(memberId);

    /// <summary>
    /// Syncs the member now, waiting at most <paramref name="budget"/> (wall clock: it bounds what a caller waits,
    /// it is not business time); a failure or time-out leaves the member marked for the background.
    /// </summary>
    /// <returns>Whether Google has the member's current version.</returns>
    public async Task<bool> TrySyncWithinAsync(string memberId, TimeSpan budget, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(budget);
        try
        {
            return await SyncAsync(memberId, timeout.Token) == SyncResult.Synced;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Slow, not failed: carry on in the background rather than wait for the sweep.
            LogDeferred(logger, memberId, budget);
            await MarkAsync(memberId, cancellationToken);
            SyncSoon(memberId);
            return false;
        }
    }

    /// <summary>Whether Google has an object for the member's current pass, syncing (within the issue time-out) if not.</summary>
    public async Task<bool> EnsureIssuedAsync(Member member, CancellationToken cancellationToken) =>
        (await objects.GetStateAsync(member.MemberId, cancellationToken))?.SerialNumber == member.Pass.SerialNumber
        || await TrySyncWithinAsync(member.MemberId, options.Value.IssueTimeout, cancellationToken);

    public override void Dispose()
    {
        _soon.Writer.TryComplete();
        base.Dispose();
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(
            Parallel.ForEachAsync(_soon.Reader.ReadAllAsync(stoppingToken), Workers(stoppingToken), async (memberId, token) => await SyncQuietlyAsync(memberId, token)),
            SweepAsync(stoppingToken));

    /// <summary>On failure the member stays marked, due again after a back-off.</summary>
    private async Task<SyncResult> SyncAsync(string memberId, CancellationToken cancellationToken)
    {
        var mark = await Pending.GetEntityIfExistsAsync<GooglePendingEntity>(memberId, GooglePendingEntity.RowKeyValue, cancellationToken: cancellationToken);
        try
        {
            await objects.SyncAsync(memberId, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            await PostponeAsync(memberId, mark.HasValue ? mark.Value : null, e, cancellationToken);
            return e is HttpRequestException or TaskCanceledException or GoogleWalletException { StatusCode: HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError }
                ? SyncResult.GoogleUnavailable
                : SyncResult.Failed;
        }

        if (mark.HasValue)
        {
            try
            {
                await Pending.DeleteEntityAsync(memberId, GooglePendingEntity.RowKeyValue, mark.Value!.ETag, cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status is 404 or 412)
            {
                // Marked again meanwhile: a newer version is on its way.
            }
        }

        return SyncResult.Synced;
    }

    private async Task PostponeAsync(string memberId, GooglePendingEntity? mark, Exception failure, CancellationToken cancellationToken)
    {
        var attempts = (mark?.Attempts ?? 0) + 1;
        var retryDelay = TimeSpan.FromTicks(Math.Min(
            options.Value.SyncRetryInterval.Ticks * (1L << Math.Min(attempts - 1, 20)),
            options.Value.MaxSyncRetryDelay.Ticks));
        var postponed = new GooglePendingEntity
        {
            PartitionKey = memberId,
            NextAttemptAt = time.GetUtcNow() + retryDelay,
            Attempts = attempts,
            LastError = failure.Message.Length > MaxErrorLength ? failure.Message[..MaxErrorLength] : failure.Message,
        };
        LogSyncFailed(logger, failure, memberId, attempts, retryDelay);
        try
        {
            await (mark is null
                ? Pending.UpsertEntityAsync(postponed, TableUpdateMode.Replace, cancellationToken)
                : Pending.UpdateEntityAsync(postponed, mark.ETag, TableUpdateMode.Replace, cancellationToken));
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            // Marked again (due sooner) or cleared by a concurrent success meanwhile: leave that.
        }
    }

    private async Task SweepAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            await Task.Delay(options.Value.SyncRetryInterval, time, stoppingToken);

            // While Google is down, one failure ends the sweep: the others stay due, and nobody waits out
            // every member's retries. A failure of one member's data does not stop the others.
            using var sweep = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            try
            {
                var now = time.GetUtcNow();
                var due = Pending.QueryAsync<GooglePendingEntity>(mark => mark.NextAttemptAt <= now, cancellationToken: sweep.Token);
                await Parallel.ForEachAsync(due, Workers(sweep.Token), async (mark, token) =>
                {
                    if (await TryClaimAsync(mark, token) && await SyncQuietlyAsync(mark.PartitionKey, token) == SyncResult.GoogleUnavailable)
                    {
                        await sweep.CancelAsync();
                    }
                });
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                // Ended early: Google is failing.
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogSweepFailed(logger, e);
            }
        }
    }

    /// <summary>
    /// Moves a due mark one retry interval on, so the sweeps of other instances leave it alone meanwhile;
    /// false when another instance (or a new change) got there first.
    /// </summary>
    private async Task<bool> TryClaimAsync(GooglePendingEntity mark, CancellationToken cancellationToken)
    {
        mark.NextAttemptAt = time.GetUtcNow() + options.Value.SyncRetryInterval;
        try
        {
            await Pending.UpdateEntityAsync(mark, mark.ETag, TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return false;
        }
    }

    private async ValueTask<SyncResult> SyncQuietlyAsync(string memberId, CancellationToken cancellationToken)
    {
        try
        {
            return await SyncAsync(memberId, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Storage itself failed (a Google failure is handled inside): the mark stays, the sweep comes back.
            LogSweepFailed(logger, e);
            return SyncResult.Failed;
        }
    }

    private static ParallelOptions Workers(CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken };

    private enum SyncResult
    {
        Synced,
        Failed,
        GoogleUnavailable,
    }

    [LoggerMessage(LogLevel.Warning, "Google Wallet sync of member {MemberId} failed (attempt {Attempts}); retrying in {RetryDelay}")]
    private static partial void LogSyncFailed(ILogger logger, Exception exception, string memberId, int attempts, TimeSpan retryDelay);

    [LoggerMessage(LogLevel.Information, "Google Wallet did not answer for member {MemberId} within {Budget}; the object follows in the background")]
    private static partial void LogDeferred(ILogger logger, string memberId, TimeSpan budget);

    [LoggerMessage(LogLevel.Error, "The Google Wallet sync could not read or write its storage; trying again")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}

/// <summary>Google's side of <see cref="PassChanges"/>: marks the member and lets the worker do the rest.</summary>
public sealed class GooglePassNotifier(GoogleSyncWorker worker, IOptions<GoogleWalletOptions> options) : IPassChangeNotifier
{
    /// <summary>Never waits for Google: a Google outage must not hold up events (or Apple's pushes for them).</summary>
    public async Task PassChangedAsync(Member member, CancellationToken cancellationToken)
    {
        await worker.MarkAsync(member.MemberId, cancellationToken);
        worker.SyncSoon(member.MemberId);
    }

    /// <summary>Waits (briefly) so the object normally exists before the member's save link is handed out.</summary>
    public async Task PassIssuedAsync(Member member, CancellationToken cancellationToken)
    {
        await worker.MarkAsync(member.MemberId, cancellationToken);
        await worker.TrySyncWithinAsync(member.MemberId, options.Value.IssueTimeout, cancellationToken);
    }
}
