using Azure;
using Azure.Data.Tables;

namespace WalletPasses.Storage;

/// <summary>
/// Row <c>sweep</c>/<c>{sweep name}</c> of <c>deliverytrace</c> (the table that already holds job state: the device
/// census's cursor): where a <see cref="ResumableSweep"/> carries on. No <c>At</c> property, so the retention sweep of
/// <c>deliverytrace</c> never deletes it.
/// </summary>
public sealed class SweepCursorEntity : ITableEntity
{
    public const string Partition = "sweep";

    public string PartitionKey { get; set; } = Partition;

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    /// <summary>Table Storage's continuation token of the next page to read; empty: the next run starts a new pass.</summary>
    public string Continuation { get; set; } = "";

    /// <summary>The query the pass under way reads (its cut-off times fixed when it started): a token resumes only its own query.</summary>
    public string Filter { get; set; } = "";

    /// <summary>When the pass under way started (its first page was read).</summary>
    public DateTimeOffset? PassStartedAt { get; set; }

    /// <summary>When the last complete pass started and ended: how long a pass over the table takes, for the operator.</summary>
    public DateTimeOffset? LastPassStartedAt { get; set; }

    public DateTimeOffset? LastPassCompletedAt { get; set; }
}
