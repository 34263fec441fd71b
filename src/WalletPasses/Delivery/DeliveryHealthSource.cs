using WalletPasses.Storage;

namespace WalletPasses.Delivery;

/// <summary>
/// What <c>GET /api/health</c> says about delivery: of the devices the re-push checks of this hour and the last looked
/// at (pushed at least <see cref="DeliveryOptions.RepushAfter"/> before), the share that holds the latest version.
/// Read from storage at most every 30 seconds per instance, so health stays a memory-only answer.
/// </summary>
public sealed class DeliveryHealthSource(StorageClients storage, TimeProvider time)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    private (DeliveryHealth Health, DateTimeOffset ReadAt)? _last;

    public async Task<DeliveryHealth> GetAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_last is { } last && now - last.ReadAt < CacheFor)
        {
            return last.Health;
        }

        var table = storage.Table(StorageNames.DeliveryTraceTable);
        var hours = await Task.WhenAll(new[] { now.AddHours(-1), now }.Select(hour =>
            table.GetIfExistsAsync<DeliveryStatsEntity>(RepushJob.StatsPartition, DeliveryStatsEntity.RowKeyFor(hour), cancellationToken)));
        var found = hours.OfType<DeliveryStatsEntity>().ToList();
        var (checkedDevices, current) = (found.Sum(h => h.DevicesChecked), found.Sum(h => h.DevicesCurrent));
        var health = new DeliveryHealth(
            checkedDevices == 0 ? null : (double)current / checkedDevices, checkedDevices, found.Sum(h => h.DevicesRepushed), found.Count == 0 ? null : found.Max(h => h.At));
        _last = (health, now);
        return health;
    }
}

/// <param name="DevicesCurrentShare">Share of checked devices holding the latest version; null before any check.</param>
public sealed record DeliveryHealth(double? DevicesCurrentShare, int DevicesChecked, int DevicesRepushed, DateTimeOffset? CheckedAt);
