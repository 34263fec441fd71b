using System.Text;
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

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

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
        await storage.WhenReadyAsync(cancellationToken); // the first invocation of a scaled-from-zero instance may be this one
        // The host has base64-decoded the body; bytes that are not UTF-8 are kept as they came, not as a lossy string.
        string? text;
        try
        {
            text = StrictUtf8.GetString(message.Body.ToMemory().Span);
        }
        catch (DecoderFallbackException)
        {
            text = null;
        }

        // Set aside or not, a message completes only once it is Done: the host deletes a completed one.
        var outcome = text is null
            ? await messages.SetAsideUndecodableAsync(message.Body.ToMemory(), "the message is not UTF-8 text", cancellationToken)
            : await messages.HandleAsync(text, message.DequeueCount, message.InsertedOn, cancellationToken);
        if (outcome == QueueMessageOutcome.Retry)
        {
            throw new LoyaltyEventRetryException(message.MessageId, message.DequeueCount);
        }
    }
}
