using Azure.Data.Tables;
using WalletPasses.Delivery;
using WalletPasses.Tests.Apple;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Delivery;

/// <summary>
/// The delivery trace is buffered off the refetch path; an instance that stops gracefully (the Functions host scaling
/// in, a redeploy) writes what it still holds. Devices speak Apple's "Send an Updated Pass"
/// (https://developer.apple.com/documentation/walletpasses/send-an-updated-pass).
/// </summary>
public sealed class DeliveryTraceShutdownTests
{
    [Fact]
    public async Task Trace_rows_still_buffered_are_written_when_the_instance_stops()
    {
        var azurite = await AzuriteServer.Shared;
        var instance = new WalletPassesFactory(azurite.ConnectionString, new Dictionary<string, string?>
        {
            ["WalletPasses:Delivery:TraceFlushDelay"] = "01:00:00", // no timed flush within the test
        });
        var pass = await InstalledPass.IssueAsync(instance);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await new SimulatedDevice(instance).FetchPassAsync(pass)).StatusCode);

        await instance.DisposeAsync();

        var members = azurite.Tables.GetTableClient(instance.StoragePrefix + "members");
        var rows = await members.QueryAsync<DeliveryTraceEntity>(TableClient.CreateQueryFilter(
            $"PartitionKey eq {pass.MemberId} and RowKey ge {DeliveryTraceEntity.RowKeyPrefix} and RowKey lt {DeliveryTraceEntity.RowKeyEnd}")).ToListAsync();
        Assert.Contains(rows, row => row.Kind == DeliveryTraceKinds.Fetch && row.Status == 200);
    }
}
