using Microsoft.Extensions.Caching.Memory;
using WalletPasses.Storage;

namespace WalletPasses.Delivery;

/// <summary>
/// What <c>GET /api/health</c> says about delivery: of the devices the last re-push check looked at (pushed at least
/// <see cref="DeliveryOptions.RepushAfter"/> before), the share that holds the latest version. Read from storage at
/// most every 30 seconds per instance, so health stays a memory-only answer.
/// </summary>
public sealed class DeliveryHealthSource(StorageClients storage, IMemoryCache cache)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    public async Task<DeliveryHealth> GetAsync(CancellationToken cancellationToken) =>
        (await cache.GetOrCreateAsync("delivery-health", async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = CacheFor;
            entry.Size = 256;
            var row = await storage.Table(StorageNames.DeliveryTraceTable).GetEntityIfExistsAsync<DeliveryStatsEntity>(
                RepushJob.StatsPartition, RepushJob.StatsRow, cancellationToken: cancellationToken);
            return row.HasValue
                ? new DeliveryHealth(row.Value!.DevicesChecked == 0 ? null : (double)row.Value.DevicesCurrent / row.Value.DevicesChecked, row.Value.DevicesChecked, row.Value.DevicesRepushed, row.Value.At)
                : new DeliveryHealth(null, 0, 0, null);
        }))!;
}

/// <param name="DevicesCurrentShare">Share of checked devices holding the latest version; null before any check.</param>
public sealed record DeliveryHealth(double? DevicesCurrentShare, int DevicesChecked, int DevicesRepushed, DateTimeOffset? CheckedAt);
