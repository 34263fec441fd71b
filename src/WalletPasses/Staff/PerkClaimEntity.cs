using Azure;
using Azure.Data.Tables;
using WalletPasses.Storage;
using WalletPasses.Templates;

namespace WalletPasses.Staff;

/// <summary>
/// Row <c>perk|{perk id}|once</c> or <c>perk|{perk id}|day|{yyyy-MM-dd}</c> in the member's partition: the
/// claim on a limited perk for its period. Inserted (never updated) in one transaction with the
/// redemption row, so of any number of concurrent attempts exactly one inserts it.
/// </summary>
public sealed class PerkClaimEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string PerkId { get; set; } = "";

    public string RedemptionId { get; set; } = "";

    public DateTimeOffset RedeemedAt { get; set; }

    public string? Location { get; set; }

    /// <summary>The claim row of a perk for the period containing <paramref name="at"/>; null for unlimited perks.</summary>
    public static string? RowKeyFor(PerkTemplate perk, DateTimeOffset at, TimeZoneInfo dayZone) =>
        perk.Redemption switch
        {
            PerkRedemption.Once => TableRows.Members.PerkClaimOnce(perk.Id),
            PerkRedemption.OncePerDay => TableRows.Members.PerkClaimOfDay(perk.Id, DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, dayZone).DateTime)),
            _ => null,
        };
}
