using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Delivery;
using WalletPasses.Tests.Apple;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Delivery;

/// <summary>
/// The trace over a storage restart (its own Azurite, on disk, stopped and started again on the same folder and
/// ports): rows that could not be written while storage was down are dropped (the trace is diagnostic), and
/// everything after is traced again.
/// </summary>
public sealed class DeliveryTraceOutageTests : IAsyncLifetime, IDisposable
{
    private AzuriteServer _azurite = null!;
    private WalletPassesFactory _factory = null!;

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteServer.StartAsync(TestCertificates.NewFolder());
        _factory = new WalletPassesFactory(_azurite.ConnectionString);
        using var client = _factory.CreateClient();
        (await client.GetAsync(new Uri("/api/health", UriKind.Relative))).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync() => await _azurite.DisposeAsync();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task After_storage_comes_back_a_devices_fetch_is_traced_again()
    {
        // Found by the crash test: Azure.Core reports a failed retry as an AggregateException, which the flush did not
        // expect; it ended the instance's flushing for good, and no trace row of that instance was written again.
        var pass = await InstalledPass.IssueAsync(_factory);
        var device = new SimulatedDevice(_factory);
        Assert.Equal(HttpStatusCode.Created, (await device.RegisterAsync(pass)).StatusCode);
        var trace = _factory.Services.GetRequiredService<DeliveryTrace>();

        await _azurite.RestartAsync(whileDown: async () =>
        {
            trace.Record(pass.MemberId, DeliveryTraceKinds.Log, "outage", detail: "recorded while storage was down");
            await Task.Delay(TimeSpan.FromSeconds(12)); // the flush delay, then Azure.Core's retries (3, from 0.8 s, doubling) all fail
        });
        Assert.Equal(HttpStatusCode.OK, (await device.FetchPassAsync(pass)).StatusCode);

        using var backend = _factory.CreateBackendClient();
        await Eventually.HoldsAsync(
            async () => (await backend.GetFromJsonAsync<JsonElement>($"/api/members/{pass.MemberId}/delivery")).GetProperty("timeline").EnumerateArray().Any(e => e.GetProperty("kind").GetString() == "fetch"),
            "the fetch after the restart is on the member's timeline");
    }
}
