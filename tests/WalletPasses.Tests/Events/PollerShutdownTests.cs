using System.Text;
using Azure.Storage.Queues;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Events;

/// <summary>
/// A graceful stop cancels the processing of the messages under way, never the delete of one whose work is done: the
/// Functions queue listener completes a message with a token of its own (azure-sdk-for-net,
/// Microsoft.Azure.WebJobs.Extensions.Storage.Queues <c>QueueListener.ProcessMessageAsync</c>: "don't cancel the
/// completion or update of the message itself during graceful shutdown. Only cancel completion or update of the message
/// if a non-graceful shutdown is requested"), cancelled only when the host's shutdown timeout runs out. An app over an
/// Azurite of its own, its queue requests through a pass-through proxy (<see cref="TableRequestCounter"/> forwards any
/// request) that lets the test stop the poller just as the delete is sent.
/// </summary>
public sealed class PollerShutdownTests : IAsyncLifetime
{
    private static readonly TimeSpan VisibilityTimeout = TimeSpan.FromSeconds(2);

    private AzuriteServer _azurite = null!;
    private TableRequestCounter _queues = null!;
    private WalletPassesFactory App { get; set; } = null!;

    public async Task InitializeAsync()
    {
        var ports = AzuriteServer.FreePorts();
        _azurite = await AzuriteServer.StartAsync(ports);
        _queues = await TableRequestCounter.StartAsync(new Uri($"http://127.0.0.1:{ports[1]}/"));
        App = new WalletPassesFactory(AzuriteServer.ConnectionStringFor([ports[0], _queues.Port, ports[2]]), new Dictionary<string, string?>
        {
            ["WalletPasses:Events:PollQueue"] = "false", // the test's own poller, which it stops
        });
        (await App.CreateClient().GetAsync(new Uri("/api/health", UriKind.Relative))).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await _queues.DisposeAsync();
        await _azurite.DisposeAsync();
    }

    [Fact]
    public async Task A_stop_requested_as_an_applied_event_is_deleted_leaves_it_deleted()
    {
        var backend = App.CreateBackendClient();
        var memberId = TestMembers.NewId();
        await TestMembers.CreateAsync(backend, memberId, points: 100);
        var queue = new QueueClient(_azurite.ConnectionString, App.StoragePrefix + "loyalty-events");
        await queue.SendMessageAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(TestMembers.PointsEvent(memberId, 1, 777))));
        using var poller = RunningPoller.Start(App.Services, VisibilityTimeout);
        Task? stopping = null;
        _queues.Before(
            (operations, _) => operations.Any(o => o.StartsWith("DELETE ", StringComparison.Ordinal) && o.Contains("loyalty-events/messages/", StringComparison.Ordinal)),
            async () =>
            {
                stopping = poller.StopAsync(); // the host shuts down: the stop is graceful, its timeout far off
                await Task.Delay(TimeSpan.FromMilliseconds(500)); // a cancelled delete has given up by now
            });

        await Eventually.HoldsAsync(() => Task.FromResult(stopping is not null), "the applied event's message is being deleted");
        await stopping!;

        Assert.Equal(777, (await TestMembers.GetAsync(backend, memberId))!.Value.GetProperty("points").GetInt64());
        // Get Queue Metadata counts hidden messages too, and never fewer than there are ("QueueProperties",
        // https://learn.microsoft.com/dotnet/api/azure.storage.queues.models.queueproperties: "not lower than the actual
        // number of messages in the queue"; Azurite counts every stored message): no need to wait for one to show again.
        var left = (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;
        Assert.True(left == 0, "the applied event's message is still in the queue, to be delivered again: the stop cancelled its delete");
    }
}
