using System.Globalization;
using WalletPasses.Activity;
using WalletPasses.Storage;

namespace WalletPasses.Staff;

/// <summary>Every scan is recorded in <c>scans</c> and published to <c>pass-activity</c> before it is answered.</summary>
public sealed class ScanLog(StorageClients storage, PassActivityPublisher activity)
{
    public async Task RecordAsync(PassScanned scan, CancellationToken cancellationToken)
    {
        var entity = new ScanEntity
        {
            PartitionKey = ScanEntity.PartitionFor(scan.Location, scan.StaffKey, scan.OccurredAt),
            RowKey = (DateTime.MaxValue.Ticks - scan.OccurredAt.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "|" + scan.Id,
            ScanId = scan.Id,
            ScannedAt = scan.OccurredAt,
            Location = scan.Location,
            StaffKey = scan.StaffKey,
            Valid = scan.Valid,
            Reason = scan.Reason,
            SerialNumber = scan.SerialNumber,
            MemberId = scan.MemberId,
            PopupId = scan.PopupId,
        };
        await Task.WhenAll(
            storage.Table(StorageNames.ScansTable).AddEntityAsync(entity, cancellationToken),
            activity.PublishAsync(scan, cancellationToken));
    }
}
