using Azure.Storage.Queues.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using WalletPasses.Events;
using WalletPasses.Storage;

namespace WalletPasses.Functions;

/// <summary>Loyalty events: the backend's HTTP ingestion and the queue trigger that applies them.</summary>
public sealed class LoyaltyEventFunctions(ApiEndpoints api, LoyaltyEventMessages messages, IStorageReadiness storage)
{
    public const string QueueFunctionName = "ProcessLoyaltyEvent";

    /// <summary>What UTF-8 decoding puts in place of bytes that are not UTF-8 (U+FFFD REPLACEMENT CHARACTER).</summary>
    private const char UndecodableReplacement = '\uFFFD';

    [Function("PostLoyaltyEvents")]
    public Task<IResult> PostLoyaltyEvents([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = LoyaltyEventsApi.EventsRoute)] HttpRequest request) =>
        api.InvokeAsync(request, LoyaltyEventsApi.EventsRoute);

    /// <summary>
    /// One queued event, delivered at least once. A message that can never apply is set aside by the
    /// application (poison queue, with its raw content) and completes; a transient failure throws, so the
    /// host makes it visible again and, after <c>maxDequeueCount</c> deliveries (host.json), poisons it.
    /// </summary>
    [Function(QueueFunctionName)]
    public async Task ProcessLoyaltyEvent(
        [QueueTrigger(StorageNames.LoyaltyEventsQueue, Connection = StorageClients.Setting)] QueueMessage message,
        CancellationToken cancellationToken)
    {
        // The worker never sees the raw bytes: the host hands over the body read as UTF-8, invalid bytes replaced by U+FFFD
        // (azure-sdk-for-net Storage.Queues StorageQueueMessageToParameterBindingDataConverter, the worker's
        // QueueMessageJsonConverter). Such text is set aside as delivered, never applied: the standalone poller refuses
        // the same bytes, and a replacement character would otherwise reach a member's pass. A backend that means U+FFFD
        // can send it escaped in the JSON.
        var text = message.Body.ToString();
        QueueMessageOutcome outcome;
        try
        {
            await storage.WhenReadyAsync(cancellationToken); // the first invocation of a scaled-from-zero instance may be this one
            outcome = text.Contains(UndecodableReplacement, StringComparison.Ordinal)
                ? await messages.SetAsideUndecodableAsync(message.Body.ToMemory(), "the message is not UTF-8 text (the host replaced bytes with U+FFFD)", cancellationToken)
                : await messages.HandleAsync(text, message.DequeueCount, message.InsertedOn, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            outcome = QueueMessageOutcome.Retry;
        }

        // The token fires when the host stops its queue listener (a shutdown or a scale-in outside drain mode: azure-sdk-for-net,
        // Microsoft.Azure.WebJobs.Extensions.Storage.Queues, Listeners/QueueListener.cs StopAsync cancels the execution token;
        // the host forwards it as InvocationCancel, azure-functions-host GrpcWorkerChannel). The listener then counts the
        // invocation as failed like any other (QueueProcessor.CompleteProcessingMessageAsync: on the last allowed delivery it
        // moves the message to the poison queue, unapplied). A copy put back in its place, and this invocation completed so the
        // host deletes the original, keeps a shutdown from costing an event a delivery, or the event itself.
        if (outcome == QueueMessageOutcome.Retry && cancellationToken.IsCancellationRequested
            && await messages.RequeueInterruptedAsync(text, message.MessageId, message.DequeueCount))
        {
            return;
        }

        // Set aside or not, a message completes only once it is Done: the host deletes a completed one.
        if (outcome == QueueMessageOutcome.Retry)
        {
            throw new LoyaltyEventRetryException(message.MessageId, message.DequeueCount);
        }
    }
}
