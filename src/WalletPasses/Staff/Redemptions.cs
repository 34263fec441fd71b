using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using WalletPasses.Storage;
using WalletPasses.Templates;

namespace WalletPasses.Staff;

/// <summary>
/// Row <c>redemption|{idempotency key}</c> in the member's partition of <c>members</c>: a redemption that
/// was accepted, with the exact answer given, so the same key always gets the same answer; and the
/// pass-activity message it owes, until <see cref="Published"/>.
/// </summary>
public sealed class RedemptionEntity : ITableEntity
{
    public const string RowKeyPrefix = "redemption|";

    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string RedemptionId { get; set; } = "";

    /// <summary>SHA-256 of what was asked (pass, perk or points): the same key with another request is refused.</summary>
    public string RequestHash { get; set; } = "";

    public string? PerkId { get; set; }

    public long? Points { get; set; }

    public string StaffKey { get; set; } = "";

    public string? Location { get; set; }

    public DateTimeOffset RedeemedAt { get; set; }

    public int AnswerStatus { get; set; }

    public string AnswerJson { get; set; } = "";

    public string ActivityJson { get; set; } = "";

    /// <summary>The activity is on pass-activity (and handed to the webhook, for points).</summary>
    public bool Published { get; set; }

    public static string RowKeyFor(string idempotencyKey) => RowKeyPrefix + idempotencyKey;
}

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
    public static string? RowKeyFor(PerkTemplate perk, DateTimeOffset at, TimeZoneInfo dayZone)
    {
        // Perk ids come from the template; escaping keeps Table Storage's forbidden key characters out.
        var prefix = "perk|" + Uri.EscapeDataString(perk.Id) + "|";
        return perk.Redemption switch
        {
            PerkRedemption.Once => prefix + "once",
            PerkRedemption.OncePerDay => prefix + "day|" + TimeZoneInfo.ConvertTime(at, dayZone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            _ => null,
        };
    }
}

public enum RecordOutcome
{
    Recorded,

    /// <summary>A redemption with this idempotency key exists (a retry, or a concurrent double submission).</summary>
    DuplicateKey,

    /// <summary>The row written with it lost: the perk's claim for this period exists, or the points holds changed since they were read.</summary>
    Contended,
}

/// <summary>Redemption rows in members' partitions: who redeemed what, and whether a limited perk is still free.</summary>
public sealed class RedemptionLedger(StorageClients storage, IOptions<StaffOptions> options)
{
    public TimeZoneInfo DayZone => options.Value.PerkDayZone;

    public TimeSpan HoldLifetime => options.Value.PointsHoldLifetime;

    /// <summary>When each limited perk was claimed in its current period (absent: redeemable), by concurrent point reads.</summary>
    public async Task<IReadOnlyDictionary<string, PerkClaimEntity>> ClaimsAsync(string memberId, IEnumerable<PerkTemplate> perks, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var reads = perks
            .Select(perk => PerkClaimEntity.RowKeyFor(perk, now, DayZone))
            .OfType<string>()
            .Select(rowKey => storage.Members.GetEntityIfExistsAsync<PerkClaimEntity>(memberId, rowKey, cancellationToken: cancellationToken));
        var claims = await Task.WhenAll(reads);
        return claims.Where(c => c.HasValue).Select(c => c.Value!).ToDictionary(c => c.PerkId, StringComparer.Ordinal);
    }

    public async Task<RedemptionEntity?> FindAsync(string memberId, string idempotencyKey, CancellationToken cancellationToken)
    {
        var response = await storage.Members.GetEntityIfExistsAsync<RedemptionEntity>(memberId, RedemptionEntity.RowKeyFor(idempotencyKey), cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    public async Task<PerkClaimEntity?> FindClaimAsync(string memberId, string rowKey, CancellationToken cancellationToken)
    {
        var response = await storage.Members.GetEntityIfExistsAsync<PerkClaimEntity>(memberId, rowKey, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    public Task<PointsHoldsEntity> HoldsAsync(string memberId, CancellationToken cancellationToken) =>
        PointsHoldsEntity.ReadAsync(storage.Members, memberId, cancellationToken);

    /// <summary>Inserts the redemption together with what it takes (a limited perk's claim, the member's new points holds), all or nothing.</summary>
    public async Task<RecordOutcome> RecordAsync(RedemptionEntity redemption, TableTransactionAction? takes, CancellationToken cancellationToken)
    {
        var actions = new List<TableTransactionAction> { new(TableTransactionActionType.Add, redemption) };
        if (takes is not null)
        {
            actions.Add(takes);
        }

        try
        {
            await storage.Members.SubmitTransactionAsync(actions, cancellationToken);
            return RecordOutcome.Recorded;
        }
        catch (TableTransactionFailedException e) when (e.Status is 409 or 412 || e.ErrorCode is "EntityAlreadyExists" or "UpdateConditionNotSatisfied")
        {
            // Which row collided decides the answer; the redemption row is checked first, so a retry
            // of an accepted redemption replays it rather than reporting the perk as taken.
            return await FindAsync(redemption.PartitionKey, redemption.RowKey[RedemptionEntity.RowKeyPrefix.Length..], cancellationToken) is not null
                ? RecordOutcome.DuplicateKey
                : RecordOutcome.Contended;
        }
    }

    /// <summary>
    /// Erasure: deletes the member's stored redemption answers (they carry the name staff saw and the points)
    /// and points holds. Claims on limited perks stay: they name no one and keep a re-enrolled member from
    /// redeeming a once-only perk again.
    /// </summary>
    public async Task EraseAsync(string memberId, CancellationToken cancellationToken)
    {
        var rows = storage.Members.QueryAsync<TableEntity>(
            e => e.PartitionKey == memberId && ((e.RowKey.CompareTo(RedemptionEntity.RowKeyPrefix) >= 0 && e.RowKey.CompareTo("redemption}") < 0) || e.RowKey == PointsHoldsEntity.RowKeyValue),
            select: [nameof(ITableEntity.PartitionKey), nameof(ITableEntity.RowKey)],
            cancellationToken: cancellationToken);
        await foreach (var page in rows.AsPages(pageSizeHint: 100))
        {
            if (page.Values.Count > 0)
            {
                await storage.Members.SubmitTransactionAsync(page.Values.Select(row => new TableTransactionAction(TableTransactionActionType.Delete, row, ETag.All)), cancellationToken);
            }
        }
    }

    public async Task MarkPublishedAsync(RedemptionEntity redemption, CancellationToken cancellationToken)
    {
        redemption.Published = true;
        await storage.Members.UpdateEntityAsync(
            new TableEntity(redemption.PartitionKey, redemption.RowKey) { [nameof(RedemptionEntity.Published)] = true },
            ETag.All,
            TableUpdateMode.Merge,
            cancellationToken);
    }
}
