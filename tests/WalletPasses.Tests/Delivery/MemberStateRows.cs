using Azure.Data.Tables;
using WalletPasses.Delivery;
using WalletPasses.Google;
using WalletPasses.Members;

namespace WalletPasses.Tests.Delivery;

/// <summary>What the crash and chaos checks compare once settled: every member's row, pass announcement and Google object.</summary>
internal static class MemberStateRows
{
    /// <summary>The rows by (member id, row key), in one query of the members table.</summary>
    public static async Task<Dictionary<(string Member, string Row), TableEntity>> ReadAsync(TableClient members)
    {
        var rows = new Dictionary<(string Member, string Row), TableEntity>();
        await foreach (var row in members.QueryAsync<TableEntity>(
            $"RowKey eq '{MemberEntity.RowKeyValue}' or RowKey eq '{PassAnnouncementEntity.RowKeyValue}' or RowKey eq '{GoogleObjectEntity.RowKeyValue}'"))
        {
            rows[(row.PartitionKey, row.RowKey)] = row;
        }

        return rows;
    }
}
