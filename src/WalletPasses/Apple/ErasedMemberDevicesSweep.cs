using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using WalletPasses.Members;
using WalletPasses.Storage;

namespace WalletPasses.Apple;

/// <summary>
/// Removes an erased member's device registrations (push tokens and device library identifiers, both directions)
/// with the retention sweep, <see cref="RetentionOptions.DeliveryTrace"/> (30 days) after the erasure. They outlive the
/// erasure on purpose: the member's phones are pushed the voided pass, then must still find it in their "which passes
/// changed" call and fetch it, or the pass would keep showing the member's name and points; a phone that was off
/// learns it when it is back, within that time. After it they are personal data with no use left.
/// Found by one filtered query of <c>members</c> (erased member rows that still list devices), at most
/// <see cref="RetentionOptions.MaxDeletesPerRun"/> registrations a run; the rest go with the next run.
/// </summary>
public sealed partial class ErasedMemberDevicesSweep(
    StorageClients storage,
    DeviceRegistrations registrations,
    IOptions<RetentionOptions> options,
    TimeProvider time,
    ILogger<ErasedMemberDevicesSweep> logger) : IRetentionSweep
{
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var erasedBefore = time.GetUtcNow() - options.Value.DeliveryTrace;
        var filter = TableClient.CreateQueryFilter(
            $"RowKey eq {TableRows.Members.Member} and Deleted eq true and PassUpdatedAt lt {erasedBefore} and DevicesJson ne {MemberEntity.NoDevices}");
        var removed = 0;
        await foreach (var member in storage.Members.QueryAsync<TableEntity>(filter, select: [nameof(ITableEntity.PartitionKey)], cancellationToken: cancellationToken))
        {
            // The erased member's version is their last (a re-enrolled member is no longer Deleted), so PassUpdatedAt is the erasure.
            foreach (var registration in await registrations.ForMemberAsync(member.PartitionKey, cancellationToken))
            {
                await registrations.RemoveAsync(member.PartitionKey, registration.DeviceLibraryIdentifier, registration.SerialNumber, cancellationToken);
                if (++removed >= options.Value.MaxDeletesPerRun)
                {
                    LogRemoved(logger, removed);
                    return;
                }
            }
        }

        LogRemoved(logger, removed);
    }

    [LoggerMessage(LogLevel.Information, "Retention sweep removed {Registrations} device registrations of members erased before the delivery trace's retention")]
    private static partial void LogRemoved(ILogger logger, int registrations);
}
