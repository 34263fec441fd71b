using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

namespace WalletPasses.Events;

/// <summary>
/// Keeps a received message hidden while it is processed, as the Functions queue trigger does (azure-sdk-for-net,
/// Microsoft.Azure.WebJobs.Extensions.Storage.Queues <c>QueueListener.ProcessMessageAsync</c>: "Update a message's
/// visibility when it is halfway to expiring", taking the new pop receipt each time). Without it, an event whose
/// processing outlasts the visibility timeout (APNs or storage slow) is delivered again to another instance, counts a
/// delivery it did not fail, and can reach the poison queue while the first delivery is still applying it.
/// Stop it before deleting the message with <see cref="PopReceipt"/>: no renewal races the delete.
/// </summary>
public sealed partial class QueueMessageLease : IAsyncDisposable
{
    private readonly QueueClient _queue;
    private readonly string _messageId;
    private readonly TimeSpan _visibilityTimeout;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewing;

    public QueueMessageLease(QueueClient queue, QueueMessage message, TimeSpan visibilityTimeout, ILogger logger)
    {
        _queue = queue;
        _messageId = message.MessageId;
        PopReceipt = message.PopReceipt;
        _visibilityTimeout = visibilityTimeout;
        _logger = logger;
        _renewing = RenewAsync(_stop.Token);
    }

    /// <summary>The receipt of the latest renewal: the one a delete must give.</summary>
    public string PopReceipt { get; private set; }

    private async Task RenewAsync(CancellationToken stop)
    {
        var interval = _visibilityTimeout / 2;
        var failures = 0;
        try
        {
            while (true)
            {
                // Wall clock on purpose: it paces live I/O against the queue's own clock, not business time. After a failed
                // renewal the next comes sooner, so one storage hiccup does not let the message show while it is processed:
                // what the listener's UpdateQueueMessageVisibilityCommand means for a server error ("The next execution
                // should occur more quickly"; its if/else chain in fact rethrows it), with its LinearSpeedupStrategy (the
                // interval divided by the failures so far, down to a fifth).
                await Task.Delay(Max(interval / (failures + 1), interval / 5), stop);
                try
                {
                    // Not cancelled once sent: a renewal the service made but the lease never heard of would leave the
                    // delete a stale receipt.
                    var receipt = await _queue.UpdateMessageAsync(_messageId, PopReceipt, message: null, _visibilityTimeout, CancellationToken.None);
                    PopReceipt = receipt.Value.PopReceipt;
                    failures = 0;
                }
                catch (RequestFailedException e) when (e.Status is >= 400 and < 500 and not (408 or 429))
                {
                    // Gone, or taken by another receiver after earlier renewals failed (a pop receipt mismatch; that
                    // receiver deletes it): trying again cannot get it back. Processing goes on either way.
                    LogRenewalRefused(_logger, e, _messageId, e.Status);
                    return;
                }
                catch (Exception e)
                {
                    // Storage busy or out of reach (a network time-out too, which Azure.Core raises as a cancellation: the
                    // update itself is never cancelled): tried again sooner; the message shows only if that outlasts its timeout.
                    failures++;
                    LogRenewalFailed(_logger, e, _messageId, (e as RequestFailedException)?.Status);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Processing ended.
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>Stops renewing; the message stays hidden until its current timeout passes. Safe to call more than once.</summary>
    public async Task StopAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
        }

        await _renewing;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }

    [LoggerMessage(LogLevel.Warning, "Could not keep loyalty-events message {MessageId} hidden while processing it (status {Status}); trying again sooner")]
    private static partial void LogRenewalFailed(ILogger logger, Exception exception, string messageId, int? status);

    [LoggerMessage(LogLevel.Warning, "Loyalty-events message {MessageId} is no longer this receiver's to keep hidden (status {Status}); it may be delivered again")]
    private static partial void LogRenewalRefused(ILogger logger, Exception exception, string messageId, int status);
}
