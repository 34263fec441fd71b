using System.Globalization;
using Azure;
using Azure.Data.Tables;

namespace WalletPasses.Staff;

/// <summary>
/// Table <c>scans</c>: PartitionKey = "{location}|{yyyy-MM-dd}" (UTC day; "~{staff key}" when the scan named
/// no location, so location-less devices do not share one partition), RowKey = "{inverted ticks}|{scan id}" so a partition lists newest first. "All scans at this
/// pop-up on this day" is one partition; partitions spread over locations and days, and one pop-up's
/// scans stay far below a partition's throughput.
/// </summary>
public sealed class ScanEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string ScanId { get; set; } = "";

    public DateTimeOffset ScannedAt { get; set; }

    public string? Location { get; set; }

    /// <summary>Name of the staff key that scanned.</summary>
    public string StaffKey { get; set; } = "";

    public bool Valid { get; set; }

    public string? Reason { get; set; }

    public string? SerialNumber { get; set; }

    public string? MemberId { get; set; }

    /// <summary>The pop-up the scan happened at (its id in the program's pop-ups), when the staff page had one picked.</summary>
    public string? PopupId { get; set; }

    public static string PartitionFor(string? location, string staffKey, DateTimeOffset at) =>
        (location ?? "~" + staffKey) + "|" + at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
