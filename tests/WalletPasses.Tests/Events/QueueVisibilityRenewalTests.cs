using System.Net;
using System.Text;
using Azure.Storage.Queues;
using WalletPasses.Tests.Apple;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Events;

/// <summary>
/// The standalone poller keeps a message hidden for as long as it processes it, as the Functions queue trigger does
/// (azure-sdk-for-net, Microsoft.Azure.WebJobs.Extensions.Storage.Queues <c>QueueListener.ProcessMessageAsync</c>: the
/// visibility is updated "when it is halfway to expiring" while the function runs, with the new pop receipt kept for
/// the delete). An event whose push outlasts the visibility timeout must not be handed to another instance meanwhile
/// (that delivery would count against the five the queue allows), and is deleted once done.
/// </summary>
public sealed class QueueVisibilityRenewalTests : IAsyncLifetime
{
    private static readonly TimeSpan VisibilityTimeout = TimeSpan.FromSeconds(2);

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
        await RawQueue.SendMessageAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(TestMembers.PointsEvent(pass.MemberId, 1, 1300))));

        using var poller = RunningPoller.Start(_app.Services, VisibilityTimeout);
        try
        {
            await held.Arrived.WaitAsync(TimeSpan.FromSeconds(30)); // applied; its push in flight

            // Two and a half visibility timeouts later, another instance polls the queue.
            await Task.Delay(VisibilityTimeout * 2.5);
            var taken = (await RawQueue.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(1))).Value;
            Assert.True(taken.Length == 0, $"the message was handed to another receiver (delivery {taken.FirstOrDefault()?.DequeueCount}) while its first delivery was still pushing");

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
