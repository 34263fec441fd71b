using Azure.Data.Tables;
using WalletPasses.Storage;
using WalletPasses.Telemetry;

namespace WalletPasses.Delivery;

/// <summary>
/// What <c>GET /api/health</c> says about delivery: the last complete device census (<see cref="DeviceCensusJob"/>:
/// every registered device, and the share holding its member's latest version), and what the re-push checks of this
/// hour and the last found. Read from storage (three point reads) at most every 30 seconds per instance, so health
/// stays a memory-only answer; the census read also feeds this instance's <c>walletpasses.devices.*</c> gauges.
/// </summary>
public sealed class DeliveryHealthSource(StorageClients storage, WalletPassesTelemetry telemetry, TimeProvider time)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    private volatile CachedReading<DeliveryHealth>? _last;

    public async Task<DeliveryHealth> GetAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_last is { } last && now - last.ReadAt < CacheFor)
        {
            return last.Value;
        }

        var table = storage.Table(StorageNames.DeliveryTraceTable);
        // Untyped reads: see DeviceCensusEntity.From.
        var censusRead = table.GetIfExistsAsync<TableEntity>(TableRows.DeliveryTrace.CensusPartition, TableRows.DeliveryTrace.Census, cancellationToken);
        var hours = (await Task.WhenAll(new[] { now.AddHours(-1), now }.Select(hour =>
            table.GetIfExistsAsync<TableEntity>(RepushJob.StatsPartition, DeliveryStatsEntity.RowKeyFor(hour), cancellationToken))))
            .Select(hour => hour is null ? null : DeliveryStatsEntity.From(hour));
        var census = await censusRead is { } censusRow && DeviceCensusEntity.From(censusRow) is { Completed: { } counts, CompletedAt: { } completedAt } row
            ? new DeviceCensusHealth(row.CompletedStartedAt, completedAt, counts)
            : null;
        if (census is not null)
        {
            telemetry.DevicesCounted(census.Counts.Registered, census.Counts.Current);
        }

        var found = hours.OfType<DeliveryStatsEntity>().ToList();
        var health = new DeliveryHealth(
            census?.Counts.CurrentShare, census, found.Sum(h => h.DevicesChecked), found.Sum(h => h.DevicesRepushed), found.Count == 0 ? null : found.Max(h => h.At));
        _last = new(health, now);
        return health;
    }
}
