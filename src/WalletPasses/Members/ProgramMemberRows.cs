using Azure.Data.Tables;
using WalletPasses.Programs;

namespace WalletPasses.Members;

/// <summary>
/// Scans over the member rows of one program. Another program's rows are one key range (<c>{programId}|…</c>, see
/// <see cref="ProgramMembers"/>); the default program's keep their old keys, so its scan reads the whole table and
/// skips other programs' rows with <see cref="Belongs"/>.
/// </summary>
public static class ProgramMemberRows
{
    /// <summary>The filter of the program's member rows whose key is after <paramref name="after"/> (null: from the start).</summary>
    public static string Filter(string programId, string defaultProgramId, string? after)
    {
        if (programId == defaultProgramId)
        {
            return after is null
                ? TableClient.CreateQueryFilter($"RowKey eq {MemberEntity.RowKeyValue}")
                : TableClient.CreateQueryFilter($"PartitionKey gt {after} and RowKey eq {MemberEntity.RowKeyValue}");
        }

        var first = programId + ProgramMembers.Separator;
        var end = programId + (char)(ProgramMembers.Separator + 1);
        return after is null
            ? TableClient.CreateQueryFilter($"PartitionKey ge {first} and PartitionKey lt {end} and RowKey eq {MemberEntity.RowKeyValue}")
            : TableClient.CreateQueryFilter($"PartitionKey gt {after} and PartitionKey lt {end} and RowKey eq {MemberEntity.RowKeyValue}");
    }

    /// <summary>Whether a member row found by <see cref="Filter"/> is the program's (the default program's scan sees every row).</summary>
    public static bool Belongs(string partitionKey, string programId, string defaultProgramId) =>
        ProgramMembers.ProgramOf(partitionKey, defaultProgramId) == programId;
}
