using System.Runtime.Serialization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using WalletPasses.Storage;

namespace WalletPasses.Delivery;

/// <summary>
/// Row <c>census</c>/<c>devices</c> of <c>deliverytrace</c>: the last complete device census (what health and metrics
/// report) and the one in progress (its cursor and partial sums, so a census survives the end of a run, a crash and a
/// second instance: see <see cref="DeviceCensusJob"/>). No <c>At</c> property, so the retention sweep of
/// <c>deliverytrace</c> never deletes it.
/// </summary>
public sealed class DeviceCensusEntity : ITableEntity
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string PartitionKey { get; set; } = TableRows.DeliveryTrace.CensusPartition;

    public string RowKey { get; set; } = TableRows.DeliveryTrace.Census;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    /// <summary>When the last complete census started and completed; null before the first completes.</summary>
    public DateTimeOffset? CompletedStartedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>The last complete census's counts (JSON of <see cref="DeviceCensusCounts"/>).</summary>
    public string? CompletedJson { get; set; }

    /// <summary>When the census in progress started; null when none is.</summary>
    public DateTimeOffset? CountingStartedAt { get; set; }

    /// <summary>The last member id the census in progress has counted ("" before the first).</summary>
    public string Cursor { get; set; } = "";

    /// <summary>The census in progress's sums so far (JSON of <see cref="DeviceCensusCounts"/>).</summary>
    public string? CountingJson { get; set; }

    [IgnoreDataMember]
    public DeviceCensusCounts? Completed
    {
        get => Read(CompletedJson);
        set => CompletedJson = Write(value);
    }

    [IgnoreDataMember]
    public DeviceCensusCounts Counting
    {
        get => Read(CountingJson) ?? DeviceCensusCounts.None;
        set => CountingJson = Write(value);
    }

    /// <summary>The row read untyped by health (see <see cref="TableClientExtensions.WithKeysOf"/>).</summary>
    public static DeviceCensusEntity From(TableEntity row) => new DeviceCensusEntity
    {
        CompletedStartedAt = row.GetDateTimeOffset(nameof(CompletedStartedAt)),
        CompletedAt = row.GetDateTimeOffset(nameof(CompletedAt)),
        CompletedJson = row.GetString(nameof(CompletedJson)),
        CountingStartedAt = row.GetDateTimeOffset(nameof(CountingStartedAt)),
        Cursor = row.GetString(nameof(Cursor)) ?? "",
        CountingJson = row.GetString(nameof(CountingJson)),
    }.WithKeysOf(row);

    private static DeviceCensusCounts? Read(string? json) => string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize<DeviceCensusCounts>(json, Json);

    private static string? Write(DeviceCensusCounts? counts) => counts is null ? null : JsonSerializer.Serialize(counts, Json);
}
