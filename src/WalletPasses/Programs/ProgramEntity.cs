using Azure;
using Azure.Data.Tables;
using WalletPasses.Storage;

namespace WalletPasses.Programs;

/// <summary>A program added at run time: one row of the programs table, all in one partition (a deployment has few).</summary>
public sealed class ProgramEntity : ITableEntity
{
    public const string PartitionKeyValue = TableRows.Programs.ProgramPartition;

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

    /// <summary>When the operator retired the program (<c>POST /api/programs/{id}/retire</c>); null: live.</summary>
    public DateTimeOffset? RetiredAt { get; set; }

    /// <summary>The row read untyped by the registry (see <see cref="TableClientExtensions.WithKeysOf"/>).</summary>
    public static ProgramEntity From(TableEntity row) => new ProgramEntity
    {
        CreatedAt = row.GetDateTimeOffset(nameof(CreatedAt)) ?? default,
        QuietHoursStart = row.GetString(nameof(QuietHoursStart)),
        QuietHoursEnd = row.GetString(nameof(QuietHoursEnd)),
        RetiredAt = row.GetDateTimeOffset(nameof(RetiredAt)),
    }.WithKeysOf(row);
}
