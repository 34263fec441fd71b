using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Options;
using WalletPasses.Storage;

namespace WalletPasses.Events;

/// <summary>
/// The standalone stand-in for the Functions queue trigger: same queue, same handler, same semantics
/// (visibility timeout renewed while a message is processed, dequeue count, poison queue after
/// <see cref="LoyaltyEventMessages.MaxDequeueCount"/> deliveries).
/// </summary>
public sealed partial class LoyaltyEventQueuePoller(
    LoyaltyEventMessages queue,
    IStorageReadiness storage,
    IOptions<EventsOptions> options,
    ILogger<LoyaltyEventQueuePoller> logger) : BackgroundService
{
    // function-host/host.json's batchSize and newBatchThreshold for the Functions queue trigger. Its listener receives a
    // whole batch each time, so it runs up to their sum (24, the WebJobs QueuesOptions reference); this poller tops up to
    // BatchSize, at most 16 under way.
    private const int BatchSize = 16;
    private const int NewBatchThreshold = 8;

    // Cancelled only when the host's shutdown timeout runs out (StopAsync's token), not by a graceful stop: a stop cancels
    // the processing under way, never the delete (or poison move) of a message whose work is done, which would deliver it
    // again. As QueueListener.ProcessMessageAsync completes a message with its own _shutdownCancellationTokenSource.
    // Never disposed (it has no timer, so holds nothing): under WebApplicationFactory the entry point's RunAsync disposes
    // the host while the factory's StopAsync may still be stopping this poller, and a StopAsync whose shutdown time has run
    // out, or a message still finishing, would then cancel or read a disposed source (ObjectDisposedException).
    private readonly CancellationTokenSource _shutdownTimedOut = new();

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        using (cancellationToken.Register(static source => ((CancellationTokenSource)source!).Cancel(), _shutdownTimedOut))
        {
            await base.StopAsync(cancellationToken);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Registered by the standalone host only; under the Functions host its queue trigger delivers.
        if (!options.Value.PollQueue)
        {
            return;
        }

        var idleDelay = TimeSpan.FromMilliseconds(20);
        var inFlight = new List<Task>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await storage.WhenReadyAsync(stoppingToken);
                    inFlight.RemoveAll(task => task.IsCompleted);
                    // Received without decoding, so one message that is not base64 cannot fail the whole batch.
                    var messages = (await queue.RawQueue.ReceiveMessagesAsync(BatchSize - inFlight.Count, options.Value.VisibilityTimeout, stoppingToken)).Value;
                    if (messages.Length == 0)
                    {
                        // Wall-clock on purpose: polling pace is not business time. A message finishing meanwhile makes room sooner.
                        await Task.WhenAny(inFlight.Append(Task.Delay(idleDelay, stoppingToken)));
                        stoppingToken.ThrowIfCancellationRequested();
                        idleDelay = TimeSpan.FromTicks(Math.Min(idleDelay.Ticks * 2, options.Value.MaxIdleDelay.Ticks));
                        continue;
                    }

                    idleDelay = TimeSpan.FromMilliseconds(20);
                    // Processing waits on storage and APNs, not CPU: each message runs at once, on its own. Like the
                    // Functions queue listener, more are fetched as soon as no more than NewBatchThreshold are still
                    // running, so one slow push does not hold up the events that arrive after it.
                    var completion = _shutdownTimedOut.Token;
                    inFlight.AddRange(messages.Select(message => HandleOneAsync(message, stoppingToken, completion)));
                    while (inFlight.Count > NewBatchThreshold)
                    {
                        inFlight.Remove(await Task.WhenAny(inFlight));
                    }
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    LogPollFailed(logger, e);
                    await Task.Delay(options.Value.MaxIdleDelay, stoppingToken);
                }
            }
        }
        finally
        {
            // Stopping: the messages under way see the cancellation; what they leave undone comes back after its timeout,
            // what they finished is still deleted.
            await Task.WhenAll(inFlight).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>One message on its own: whatever happens to it, its neighbours in the batch are handled.</summary>
    /// <param name="completion">For taking the message off the queue once its outcome is known (see <see cref="_shutdownTimedOut"/>).</param>
    private async Task HandleOneAsync(QueueMessage message, CancellationToken cancellationToken, CancellationToken completion)
    {
        try
        {
            await using var lease = new QueueMessageLease(queue.RawQueue, message, options.Value.VisibilityTimeout, logger);
            var decoded = LoyaltyEventMessages.TryDecode(message.Body, out var text, out var undecodable, out var failure);
            var outcome = decoded
                ? await queue.HandleAsync(text!, message.DequeueCount, message.InsertedOn, cancellationToken)
                : await queue.SetAsideUndecodableAsync(undecodable, failure!, cancellationToken);
            if (decoded && outcome == QueueMessageOutcome.Retry && message.DequeueCount >= LoyaltyEventMessages.MaxDequeueCount)
            {
                outcome = await queue.PoisonAsync(text!, $"failed {message.DequeueCount} times", completion);
            }

            if (outcome == QueueMessageOutcome.Done)
            {
                await lease.StopAsync(); // no renewal races the delete, which needs the latest receipt
                await queue.RawQueue.DeleteMessageAsync(message.MessageId, lease.PopReceipt, completion);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !(cancellationToken.IsCancellationRequested || completion.IsCancellationRequested))
        {
            LogMessageFailed(logger, e, message.MessageId, message.DequeueCount);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Loyalty-events message {MessageId} (delivery {DequeueCount}) could not be finished; it comes back after the visibility timeout")]
    private static partial void LogMessageFailed(ILogger logger, Exception exception, string messageId, long dequeueCount);

    [LoggerMessage(LogLevel.Error, "Polling the loyalty-events queue failed; trying again")]
    private static partial void LogPollFailed(ILogger logger, Exception exception);
}
