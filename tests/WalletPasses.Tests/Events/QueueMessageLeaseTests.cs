using System.Net;
using System.Text;
using Azure.Core.Pipeline;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging.Abstractions;
using WalletPasses.Events;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Events;

/// <summary>
/// A lease keeps its message hidden through a storage hiccup, as the Functions queue listener's renewal does
/// (azure-sdk-for-net, Microsoft.Azure.WebJobs.Extensions.Storage.Queues <c>UpdateQueueMessageVisibilityCommand</c>: a
/// server-side error makes "the next execution ... occur more quickly (try to update the visibility before it
/// expires)"; only a pop receipt mismatch, or a message or queue gone, ends it, "we've permanently lost ownership").
/// </summary>
public sealed class QueueMessageLeaseTests
{
    // Long enough that the refused renewal's quicker retry (at three quarters of it) leaves over a second of margin on a
    // loaded 2-core CI machine, where the other receiver polls throughout (at 2 s a thread-pool stall took it away).
    private static readonly TimeSpan VisibilityTimeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_renewal_refused_with_503_ServerBusy_is_tried_again_before_the_message_shows()
    {
        var azurite = await AzuriteServer.Shared;
        var queue = new QueueClient(azurite.ConnectionString, "lease" + Guid.NewGuid().ToString("N")[..12]);
        await queue.CreateAsync();
        await queue.SendMessageAsync("an event");
        var message = (await queue.ReceiveMessageAsync(VisibilityTimeout)).Value;
        using var busyOnce = new BusyOnFirstUpdate();
        // No retries of its own: the 503 stands for an outage that outlasted the SDK's retries.
        var leaseQueue = new QueueClient(azurite.ConnectionString, queue.Name, new QueueClientOptions
        {
            Transport = new HttpClientTransport(new HttpClient(busyOnce)),
            Retry = { MaxRetries = 0 },
        });

        await using (var lease = new QueueMessageLease(leaseQueue, message, VisibilityTimeout, NullLogger.Instance))
        {
            // Another receiver polls for two and a half visibility timeouts, over the lease's first renewal, refused.
            var taken = await AnotherReceiver.PollAsync(queue, VisibilityTimeout * 2.5);

            Assert.True(busyOnce.Refused, "the first renewal was refused");
            Assert.True(taken.Count == 0, $"the message was handed to another receiver (delivery {(taken.Count > 0 ? taken[0].DequeueCount : 0)}) while its lease still held it");
            await lease.StopAsync();
            await queue.DeleteMessageAsync(message.MessageId, lease.PopReceipt);
        }

        await queue.DeleteAsync();
    }

    /// <summary>
    /// Answers the first Update Message (PUT .../messages/{id}) as Azure Storage does when busy ("Common REST API error
    /// codes", https://learn.microsoft.com/rest/api/storageservices/common-rest-api-error-codes: ServerBusy, Service
    /// Unavailable (503), "The server is currently unable to receive requests. Please retry your request."; the code in
    /// x-ms-error-code and in the XML error body, "Status and error codes"); everything else reaches Azurite.
    /// </summary>
    private sealed class BusyOnFirstUpdate() : DelegatingHandler(new SocketsHttpHandler())
    {
        private int _refused;

        public bool Refused => Volatile.Read(ref _refused) == 1;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method != HttpMethod.Put || !request.RequestUri!.AbsolutePath.Contains("/messages/", StringComparison.Ordinal) || Interlocked.Exchange(ref _refused, 1) == 1)
            {
                return base.SendAsync(request, cancellationToken);
            }

            var busy = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)
            {
                Content = new StringContent(
                    """<?xml version="1.0" encoding="utf-8"?><Error><Code>ServerBusy</Code><Message>The server is currently unable to receive requests. Please retry your request.</Message></Error>""",
                    Encoding.UTF8,
                    "application/xml"),
            };
            busy.Headers.Add("x-ms-error-code", "ServerBusy");
            return Task.FromResult(busy);
        }
    }
}
