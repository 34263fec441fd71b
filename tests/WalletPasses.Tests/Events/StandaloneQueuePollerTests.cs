using System.Net;
using System.Text;
using Azure.Storage.Queues;
using WalletPasses.Tests.Apple;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Events;

/// <summary>
/// The standalone poller delivers as the Functions queue listener does (azure-sdk-for-net,
/// Microsoft.Azure.WebJobs.Extensions.Storage.Queues <c>QueueListener</c>). It keeps a message hidden for as long as it
/// processes it (<c>ProcessMessageAsync</c>: the visibility is updated "when it is halfway to expiring" while the function
/// runs, with the new pop receipt kept for the delete): an event whose push outlasts the visibility timeout must not be
/// handed to another instance meanwhile (that delivery would count against the five the queue allows), and is deleted
/// once done. And it fetches more messages while earlier ones still run (<c>WaitForNewBatchThreshold</c>: a new batch as
/// soon as no more than <c>newBatchThreshold</c> are running), so one slow push does not hold up later events.
/// </summary>
public sealed class StandaloneQueuePollerTests : IAsyncLifetime
{
    // The lease renews at half of it: 4 s leaves two seconds of margin against a thread-pool stall on a loaded 2-core CI
    // machine, while another receiver polls throughout.
    private static readonly TimeSpan VisibilityTimeout = TimeSpan.FromSeconds(4);

    private ApnsEmulator _apns = null!;
    private WalletPassesFactory _app = null!;
    private string _connectionString = "";

    public async Task InitializeAsync()
    {
        var azurite = await AzuriteServer.Shared;
        _connectionString = azurite.ConnectionString;
        _apns = await ApnsEmulator.StartAsync(clientTrust: new ClientTrust(TestCertificates.Certificates.Root, TestCertificates.Certificates.Wwdr));
        _app = Instance(azurite);
        (await _app.CreateClient().GetAsync("/api/health")).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _apns.DisposeAsync();
    }

    [Fact]
    public async Task An_event_queued_while_an_earlier_one_waits_on_a_slow_push_applies_meanwhile()
    {
        var slow = await InstalledPass.IssueAsync(_app);
        var device = new SimulatedDevice(_app);
        Assert.Equal(HttpStatusCode.Created, (await device.RegisterAsync(slow)).StatusCode);
        var other = await InstalledPass.IssueAsync(_app);
        var held = _apns.HoldNextPushTo(device.PushToken);
        await SendAsync(TestMembers.PointsEvent(slow.MemberId, 1, 1300));

        using var poller = RunningPoller.Start(_app.Services, TimeSpan.FromSeconds(30));
        try
        {
            await held.Arrived.WaitAsync(TimeSpan.FromSeconds(30)); // the first event's push in flight, its batch not done
            await SendAsync(TestMembers.PointsEvent(other.MemberId, 1, 4242));

            // Before the fix the poller waited for its whole batch before receiving again: the second event waited for the held push.
            await TestMembers.WaitForAsync(_app.CreateBackendClient(), other.MemberId, m => m.GetProperty("points").GetInt64() == 4242);
        }
        finally
        {
            held.Release();
        }
    }

    private async Task SendAsync(string loyaltyEvent) => await RawQueue.SendMessageAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(loyaltyEvent)));

    private WalletPassesFactory Instance(AzuriteServer azurite) => new(azurite.ConnectionString, new Dictionary<string, string?>
    {
        ["WalletPasses:Events:PollQueue"] = "false", // the test's own poller, with a short visibility timeout
        ["WalletPasses:Apple:ApnsBaseUrl"] = _apns.BaseUrl.AbsoluteUri,
        ["WalletPasses:Apple:ApnsTrustedRootFile"] = _apns.CertificateAuthorityPemFile,
        ["WalletPasses:Apple:ApnsRequestTimeout"] = "00:01:00", // a held push is in flight, not timed out
    });

    private QueueClient RawQueue => new(_connectionString, _app.StoragePrefix + "loyalty-events");

    [Fact]
    public async Task An_event_processed_for_longer_than_the_visibility_timeout_stays_hidden_and_is_deleted_once_done()
    {
        var pass = await InstalledPass.IssueAsync(_app);
        var device = new SimulatedDevice(_app);
        Assert.Equal(HttpStatusCode.Created, (await device.RegisterAsync(pass)).StatusCode);
        var held = _apns.HoldNextPushTo(device.PushToken);
        await SendAsync(TestMembers.PointsEvent(pass.MemberId, 1, 1300));

        using var poller = RunningPoller.Start(_app.Services, VisibilityTimeout);
        try
        {
            await held.Arrived.WaitAsync(TimeSpan.FromSeconds(30)); // applied; its push in flight

            // Another instance polls the queue for two and a half visibility timeouts.
            var taken = await AnotherReceiver.PollAsync(RawQueue, VisibilityTimeout * 2.5);
            Assert.True(taken.Count == 0, $"the message was handed to another receiver (delivery {(taken.Count > 0 ? taken[0].DequeueCount : 0)}) while its first delivery was still pushing");

            held.Release();
            await Eventually.HoldsAsync(async () => (await RawQueue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0, "the event's message is deleted with the renewed receipt");
            Assert.Equal(1, _apns.Pushes.Count(p => p.PushToken == device.PushToken && p.Status == 200));
        }
        finally
        {
            held.Release(); // never leave the poller's stop waiting on a held push
        }
    }
}
