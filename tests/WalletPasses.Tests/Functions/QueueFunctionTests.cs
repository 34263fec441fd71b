using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Functions;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Functions;

/// <summary>
/// The queue trigger as the worker delivers it: a <see cref="QueueMessage"/> whose text the host has already
/// base64-decoded (host.json <c>messageEncoding</c>), with its dequeue count (Microsoft Learn, "Azure Queue
/// storage trigger for Azure Functions", https://learn.microsoft.com/azure/azure-functions/functions-bindings-storage-queue-trigger:
/// isolated worker, Azure.Storage.Queues types; poison after <c>maxDequeueCount</c>, into <c>&lt;queue&gt;-poison</c> as the
/// extension's QueueListenerFactory names it, see FunctionsMetadataTests). The message is the JSON a backend puts on the
/// queue (docs/contract.md).
/// </summary>
public sealed class QueueFunctionTests(FunctionsAppFixture functions) : IClassFixture<FunctionsAppFixture>
{
    private static QueueMessage Delivery(string text, long dequeueCount) =>
        QueuesModelFactory.QueueMessage(Guid.NewGuid().ToString(), "pop-receipt", text, dequeueCount, insertedOn: DateTimeOffset.UtcNow);

    /// <summary>
    /// A message's base64-decoded bytes as the worker hands them over: the host's queue extension serialises the received
    /// <see cref="QueueMessage"/> to JSON for the worker (azure-sdk-for-net, Microsoft.Azure.WebJobs.Extensions.Storage.Queues,
    /// Triggers/StorageQueueMessageToParameterBindingDataConverter.cs: <c>new BinaryData(input)</c>), and the worker builds
    /// its QueueMessage from that JSON's <c>MessageText</c>, the body read as UTF-8 (azure-functions-dotnet-worker,
    /// extensions/Worker.Extensions.Storage.Queues/src/JsonConverters/QueueMessageJsonConverter.cs). Bytes that are not
    /// UTF-8 reach the function as U+FFFD.
    /// </summary>
    private static QueueMessage WorkerDelivery(byte[] body, long dequeueCount)
    {
        var received = QueuesModelFactory.QueueMessage(Guid.NewGuid().ToString(), "pop-receipt", new BinaryData(body), dequeueCount, insertedOn: DateTimeOffset.UtcNow);
        var bindingData = JsonSerializer.SerializeToElement(received);
        return Delivery(bindingData.GetProperty("MessageText").GetString()!, dequeueCount);
    }

    private static byte[] Latin1ProfileEvent(string memberId) =>
        // "José" from a backend that writes Latin-1: the 0xE9 byte is not UTF-8.
        [.. Encoding.UTF8.GetBytes($$"""{"eventId": "evt-{{Guid.NewGuid():N}}", "memberId": "{{memberId}}", "sequence": 7, "occurredAt": "2026-11-23T10:00:00Z", "type": "profile.changed", "displayName": "Jos"""),
            0xE9, .. Encoding.UTF8.GetBytes("\"}")];

    private HttpClient Backend => functions.Standalone.Factory.CreateBackendClient();

    [Fact]
    public async Task A_queued_event_is_applied_once_and_its_redelivery_and_a_stale_event_change_nothing()
    {
        var memberId = TestMembers.NewId();
        await TestMembers.CreateAsync(Backend, memberId, points: 100);
        var trigger = functions.Function<LoyaltyEventFunctions>();
        var applied = TestMembers.PointsEvent(memberId, sequence: 5, points: 500);

        await trigger.ProcessLoyaltyEvent(Delivery(applied, 1), CancellationToken.None);
        Assert.Equal(500, (await TestMembers.GetAsync(Backend, memberId))!.Value.GetProperty("points").GetInt64());

        await trigger.ProcessLoyaltyEvent(Delivery(TestMembers.PointsEvent(memberId, sequence: 6, points: 600), 1), CancellationToken.None);
        await trigger.ProcessLoyaltyEvent(Delivery(applied, 2), CancellationToken.None); // redelivered after a lost completion
        await trigger.ProcessLoyaltyEvent(Delivery(TestMembers.PointsEvent(memberId, sequence: 4, points: 400), 1), CancellationToken.None); // stale

        Assert.Equal(600, (await TestMembers.GetAsync(Backend, memberId))!.Value.GetProperty("points").GetInt64());
    }

    [Fact]
    public async Task A_message_that_can_never_apply_is_set_aside_with_its_raw_content_on_the_first_delivery()
    {
        var raw = "not a loyalty event " + Guid.NewGuid();
        var trigger = functions.Function<LoyaltyEventFunctions>();

        // Completes (no exception): the host deletes it instead of delivering it four more times.
        await trigger.ProcessLoyaltyEvent(Delivery(raw, 1), CancellationToken.None);

        var poison = new QueueClient(functions.Standalone.Azurite.ConnectionString, functions.Standalone.Factory.StoragePrefix + "loyalty-events-poison", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var peeked = (await poison.PeekMessagesAsync(32)).Value;
        Assert.Contains(peeked, message => message.Body.ToString() == raw);
    }

    [Fact]
    public async Task An_event_whose_bytes_are_not_utf8_is_set_aside_and_never_applied_with_replacement_characters()
    {
        // Standalone, the poller refuses such bytes (strict UTF-8) and keeps them; the worker only ever sees them replaced by
        // U+FFFD, which must not reach the member's pass as if the backend had meant it.
        var memberId = TestMembers.NewId();
        await TestMembers.CreateAsync(Backend, memberId, points: 100);
        var delivery = WorkerDelivery(Latin1ProfileEvent(memberId), 1);
        Assert.Contains('\uFFFD', delivery.Body.ToString());

        await functions.Function<LoyaltyEventFunctions>().ProcessLoyaltyEvent(delivery, CancellationToken.None); // completes: set aside

        Assert.Equal("Jane Doe", (await TestMembers.GetAsync(Backend, memberId))!.Value.GetProperty("displayName").GetString());
        var delivered = delivery.Body.ToArray();
        var rejected = new BlobContainerClient(functions.Standalone.Azurite.ConnectionString, functions.Standalone.Factory.StoragePrefix + "loyalty-events-rejected")
            .GetBlobClient(Convert.ToHexStringLower(SHA256.HashData(delivered)));
        Assert.Equal(delivered, (await rejected.DownloadContentAsync()).Value.Content.ToArray());
    }

    [Fact]
    public async Task An_event_that_is_not_utf8_and_cannot_be_set_aside_now_stays_on_the_queue()
    {
        // The container the bytes go to is missing (storage answers 404 ContainerNotFound): setting them aside fails. The
        // function must fail too, so the host delivers the message again (or, on its last delivery, copies it to the poison
        // queue) rather than deleting it as completed (Microsoft Learn, "Azure Queue storage trigger": poison messages).
        var delivery = WorkerDelivery(Latin1ProfileEvent(TestMembers.NewId()), 1);
        var rejected = new BlobContainerClient(functions.Standalone.Azurite.ConnectionString, functions.Standalone.Factory.StoragePrefix + "loyalty-events-rejected");
        await rejected.DeleteAsync();
        try
        {
            await Assert.ThrowsAsync<LoyaltyEventRetryException>(() => functions.Function<LoyaltyEventFunctions>().ProcessLoyaltyEvent(delivery, CancellationToken.None));
        }
        finally
        {
            await rejected.CreateIfNotExistsAsync();
        }
    }

    [Fact]
    public async Task An_event_interrupted_by_a_shutdown_on_its_last_delivery_is_put_back_and_applies_instead_of_being_poisoned()
    {
        // When the host stops its queue listener (shutdown, or scale-in outside drain mode) it cancels the invocations under
        // way (azure-sdk-for-net, Microsoft.Azure.WebJobs.Extensions.Storage.Queues, Listeners/QueueListener.cs: StopAsync
        // cancels _executionCancellationTokenSource, the token ExecuteAsync gets; azure-functions-host GrpcWorkerChannel
        // forwards it to the worker as InvocationCancel, the function's CancellationToken). Whatever the function then ends
        // with, a throw is a failed invocation, and QueueProcessor.CompleteProcessingMessageAsync moves a failed message whose
        // DequeueCount has reached maxDequeueCount (host.json: 5) to the poison queue: the event would never apply. Here the
        // token has fired as the last allowed delivery starts.
        var memberId = TestMembers.NewId();
        await TestMembers.CreateAsync(Backend, memberId, points: 100);
        using var shutdown = new CancellationTokenSource();
        await shutdown.CancelAsync();

        // Completes, so the host deletes the original (with its own token, not cancelled by a graceful stop) rather than poison it.
        await functions.Function<LoyaltyEventFunctions>().ProcessLoyaltyEvent(Delivery(TestMembers.PointsEvent(memberId, sequence: 3, points: 345), dequeueCount: 5), shutdown.Token);

        // The copy put back in its place is delivered again (here by the standalone app's poller over the same queue) and applies.
        await Eventually.HoldsAsync(
            async () => (await TestMembers.GetAsync(Backend, memberId))!.Value.GetProperty("points").GetInt64() == 345,
            "the interrupted event applies from the copy put back on the queue");
    }

    [Fact]
    public async Task A_transient_failure_throws_so_the_host_delivers_the_message_again()
    {
        // Storage that refuses connections: nothing can be applied now, but the event may apply later.
        var settings = new Dictionary<string, string?>(functions.Standalone.Factory.Settings)
        {
            ["AzureWebJobsStorage"] = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
                "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
                "BlobEndpoint=http://127.0.0.1:9/devstoreaccount1;QueueEndpoint=http://127.0.0.1:9/devstoreaccount1;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;",
        };
        using var host = FunctionsAppFixture.BuildHost(settings);
        var trigger = ActivatorUtilities.CreateInstance<LoyaltyEventFunctions>(host.Services);

        await Assert.ThrowsAnyAsync<Exception>(() =>
            trigger.ProcessLoyaltyEvent(Delivery(TestMembers.PointsEvent(TestMembers.NewId(), 1, 10), 1), CancellationToken.None));
    }
}
