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
/// Found by a filtered query over the whole <c>members</c> table (erased member rows that still list devices), read by
/// <see cref="ResumableSweep"/> from where the last run stopped; a run stops at the end of the page (at most
/// <see cref="RetentionOptions.MaxDeletesPerRun"/> members) in which it reached that many registrations, or after
/// <see cref="RetentionOptions.SweepRunBudget"/>.
/// </summary>
public sealed partial class ErasedMemberDevicesSweep(
    StorageClients storage,
    ResumableSweep sweep,
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
        var removed = await sweep.RunAsync(
            "erased-member-devices",
            storage.Members,
            filter,
            [nameof(ITableEntity.PartitionKey)],
            options.Value.MaxDeletesPerRun,
            options.Value.SweepRunBudget,
            RemoveDevicesAsync,
            cancellationToken);
        LogRemoved(logger, removed);
    }

    /// <summary>Removes every registration of a page's erased members; answers how many.</summary>
    private async Task<int> RemoveDevicesAsync(IReadOnlyList<TableEntity> erasedMembers, CancellationToken cancellationToken)
    {
        var removed = 0;
        foreach (var member in erasedMembers)
        {
            // The erased member's version is their last (a re-enrolled member is no longer Deleted), so PassUpdatedAt is the erasure.
            foreach (var registration in await registrations.ForMemberAsync(member.PartitionKey, cancellationToken))
            {
                await registrations.RemoveAsync(member.PartitionKey, registration.DeviceLibraryIdentifier, registration.SerialNumber, cancellationToken);
                removed++;
            }
        }

        return removed;
    }

    [LoggerMessage(LogLevel.Information, "Retention sweep removed {Registrations} device registrations of members erased before the delivery trace's retention")]
    private static partial void LogRemoved(ILogger logger, int registrations);
}
