using Azure;
using Azure.Data.Tables;

namespace WalletPasses.Programs;

/// <summary>A program added at run time: one row of the programs table, all in one partition (a deployment has few).</summary>
public sealed class ProgramEntity : ITableEntity
{
    public const string PartitionKeyValue = "program";

    public string PartitionKey { get; set; } = PartitionKeyValue;

    /// <summary>The program id.</summary>
    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Start of the program's quiet hours (HH:mm, the member's local time); null: the deployment's.</summary>
    public string? QuietHoursStart { get; set; }

    /// <summary>End of the program's quiet hours (HH:mm); null: the deployment's.</summary>
    public string? QuietHoursEnd { get; set; }

    /// <summary>
    /// The row read as a <see cref="TableEntity"/>: the registry reads the table on a cold instance's first
    /// request, and the SDK's typed read would first compile expression trees for every property (Azure.Core's
    /// TypeBinder).
    /// </summary>
    public static ProgramEntity From(TableEntity row) => new()
    {
        PartitionKey = row.PartitionKey,
        RowKey = row.RowKey,
        Timestamp = row.Timestamp,
        ETag = row.ETag,
        CreatedAt = row.GetDateTimeOffset(nameof(CreatedAt)) ?? default,
        QuietHoursStart = row.GetString(nameof(QuietHoursStart)),
        QuietHoursEnd = row.GetString(nameof(QuietHoursEnd)),
    };
}
