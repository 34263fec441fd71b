using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Delivery;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Delivery;

/// <summary>
/// The delivery report and the shutdown flush read or write the trace through <see cref="DeliveryTrace.FlushAsync"/>:
/// when it returns, every row recorded before it must be in storage, even when a timed flush was already writing them.
/// </summary>
public sealed class DeliveryTraceFlushTests
{
    [Fact]
    public async Task A_flush_returns_only_once_rows_a_timed_flush_is_writing_are_stored()
    {
        var azurite = await AzuriteServer.Shared;
        await using var instance = new WalletPassesFactory(azurite.ConnectionString, new Dictionary<string, string?>
        {
            ["WalletPasses:Delivery:TraceFlushDelay"] = "00:00:00", // the timed flush starts at once, racing the explicit one
        });
        (await instance.CreateClient().GetAsync(new Uri("/api/health", UriKind.Relative))).EnsureSuccessStatusCode();
        var trace = instance.Services.GetRequiredService<DeliveryTrace>();
        var members = azurite.Tables.GetTableClient(instance.StoragePrefix + "members");

        var missed = new List<string>();
        for (var round = 0; round < 10; round++)
        {
            // Several members' rows, so the timed flush is still writing (one transaction per member) when the explicit one comes.
            var memberIds = Enumerable.Range(0, 5).Select(m => $"flush-{round}-{m}-{Guid.NewGuid():N}").ToList();
            foreach (var memberId in memberIds)
            {
                for (var device = 0; device < 100; device++)
                {
                    trace.Record(memberId, DeliveryTraceKinds.List, $"device-{device}", device: $"device-{device}", version: 1, status: 200);
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(round % 3)); // lets the timed flush take the buffer first
            await trace.FlushAsync(CancellationToken.None);

            foreach (var memberId in memberIds)
            {
                var rows = await members.QueryAsync<DeliveryTraceEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {memberId}")).CountAsync();
                if (rows != 100)
                {
                    missed.Add($"round {round}: {rows} of 100 rows stored");
                }
            }
        }

        Assert.Empty(missed);
    }
}
