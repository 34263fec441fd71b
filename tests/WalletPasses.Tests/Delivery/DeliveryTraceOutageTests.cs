using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WalletPasses.Delivery;
using WalletPasses.Tests.Apple;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Delivery;

/// <summary>
/// The trace over a storage restart (its own Azurite, on disk, stopped and started again on the same folder and
/// ports): rows that could not be written while storage was down are dropped (the trace is diagnostic), and
/// everything after is traced again.
/// </summary>
public sealed class DeliveryTraceOutageTests(OwnAzuriteFixture app) : IClassFixture<OwnAzuriteFixture>
{
    [Fact]
    public async Task After_storage_comes_back_a_devices_fetch_is_traced_again()
    {
        // Found by the crash test: Azure.Core reports a failed retry as an AggregateException, which the flush did not
        // expect; it ended the instance's flushing for good, and no trace row of that instance was written again.
        var pass = await InstalledPass.IssueAsync(app.Factory);
        var device = new SimulatedDevice(app.Factory);
        Assert.Equal(HttpStatusCode.Created, (await device.RegisterAsync(pass)).StatusCode);
        var trace = app.Factory.Services.GetRequiredService<DeliveryTrace>();
        var logs = new LogCapture();
        app.Factory.Services.GetRequiredService<ILoggerFactory>().AddProvider(logs);
        await trace.FlushAsync(CancellationToken.None); // nothing of before the outage is left to fail in it

        await app.Azurite.RestartAsync(whileDown: async () =>
        {
            trace.Record(pass.MemberId, DeliveryTraceKinds.Log, "outage", detail: "recorded while storage was down");
            // Storage comes back only once the timed flush has met the outage: after the flush delay and Azure.Core's
            // retries, however long they take on a loaded machine, it drops the row and says so.
            await Eventually.HoldsAsync(
                () => logs.Lines.Any(line => line.Contains("dropped (the trace is diagnostic)", StringComparison.Ordinal)),
                "the timed flush gives up on the row recorded while storage was down");
        });
        Assert.Equal(HttpStatusCode.OK, (await device.FetchPassAsync(pass)).StatusCode);

        using var backend = app.Factory.CreateBackendClient();
        await Eventually.HoldsAsync(
            async () => (await backend.GetFromJsonAsync<JsonElement>($"/api/members/{pass.MemberId}/delivery")).GetProperty("timeline").EnumerateArray().Any(e => e.GetProperty("kind").GetString() == "fetch"),
            "the fetch after the restart is on the member's timeline");
    }
}
