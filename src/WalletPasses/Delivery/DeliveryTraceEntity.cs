using System.Globalization;
using Azure;
using Azure.Data.Tables;
using WalletPasses.Storage;

namespace WalletPasses.Delivery;

public static class DeliveryTraceKinds
{
    /// <summary>An APNs push for a version to a device: status, apns-id, state (pushed, push-failed, gone).</summary>
    public const string Push = "push";

    /// <summary>The device asked which passes changed and was told this one had.</summary>
    public const string List = "list";

    /// <summary>The pass was fetched (200 with the version, or 304: the device had it).</summary>
    public const string Fetch = "fetch";

    /// <summary>A device log line naming the pass.</summary>
    public const string Log = "log";

    /// <summary>Google's object shows the version; whether the holder was notified.</summary>
    public const string Google = "google";
}

/// <summary>
/// Rows <c>trace|{inverted ticks}|{kind}|{detail key}</c> in the member's partition of <c>members</c>: what happened to
/// the member's pass versions on their way to devices and Google, newest first (in the member's partition, so the
/// push rows commit with the announcement's delivery record in one transaction). And in table <c>deliverytrace</c>,
/// PartitionKey <c>check|{yyyyMMddHHmm}</c>, RowKey = member id: members pushed in that minute, whose devices the
/// re-push job checks once the window is over. Rows expire with the retention sweep (<see cref="At"/>).
/// </summary>
public sealed class DeliveryTraceEntity : ITableEntity
{
    public const string RowKeyPrefix = TableRows.Members.TracePrefix;

    // '}' follows '|': RowKey in ["trace|", "trace}") is exactly a partition's trace rows.
    public static readonly string RowKeyEnd = TableRows.RangeEnd(RowKeyPrefix);

    public const string CheckPartitionPrefix = TableRows.DeliveryTrace.CheckPartitionPrefix;

    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public DateTimeOffset At { get; set; }

    public string Kind { get; set; } = "";

    public string? Device { get; set; }

    public long? Version { get; set; }

    /// <summary>HTTP status (APNs answer, fetch 200/304).</summary>
    public int? Status { get; set; }

    /// <summary>Push state, APNs id, notification outcome or log text.</summary>
    public string? Detail { get; set; }

    public string? ApnsId { get; set; }

    /// <summary>Identical events folded into this row within one flush (a refetch storm is one row).</summary>
    public int Count { get; set; } = 1;

    public static string RowKeyFor(DateTimeOffset at, string kind, string key) =>
        RowKeyPrefix + (DateTime.MaxValue.Ticks - at.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "|" + kind + "|" + key;

    public static string CheckPartitionFor(DateTimeOffset at) =>
        CheckPartitionPrefix + at.UtcDateTime.ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture);
}
