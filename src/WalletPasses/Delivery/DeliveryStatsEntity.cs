using Azure;
using Azure.Data.Tables;
using WalletPasses.Storage;

namespace WalletPasses.Delivery;

/// <summary>Row <c>stats</c>/<c>{yyyyMMddHH}</c> of <c>deliverytrace</c>: what the re-push checks of that hour found.</summary>
public sealed class DeliveryStatsEntity : ITableEntity
{
    public static string RowKeyFor(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMddHH", System.Globalization.CultureInfo.InvariantCulture);

    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public DateTimeOffset At { get; set; }

    public int DevicesChecked { get; set; }

    public int DevicesCurrent { get; set; }

    public int DevicesRepushed { get; set; }

    /// <summary>The row read untyped by health (see <see cref="TableClientExtensions.WithKeysOf"/>).</summary>
    public static DeliveryStatsEntity From(TableEntity row) => new DeliveryStatsEntity
    {
        At = row.GetDateTimeOffset(nameof(At)) ?? default,
        DevicesChecked = row.GetInt32(nameof(DevicesChecked)) ?? 0,
        DevicesCurrent = row.GetInt32(nameof(DevicesCurrent)) ?? 0,
        DevicesRepushed = row.GetInt32(nameof(DevicesRepushed)) ?? 0,
    }.WithKeysOf(row);
}
