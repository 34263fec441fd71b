using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using WalletPasses.Members;
using WalletPasses.Storage;
using WalletPasses.Templates;

namespace WalletPasses.Staff;

/// <summary>Redemption rows in members' partitions: who redeemed what, and whether a limited perk is still free.</summary>
public sealed class RedemptionLedger(StorageClients storage, IOptions<StaffOptions> options, IOptions<WalletPassesOptions> wallet)
{
    private const int MaxAttempts = 8;
    private static readonly string RedemptionRowsEnd = TableRows.RangeEnd(RedemptionEntity.RowKeyPrefix);

    public RedemptionRules Rules => new(options.Value.FindPerkDayZone(), options.Value.PointsHoldLifetime) { DefaultProgramId = wallet.Value.ProgramId };

    /// <summary>When each limited perk was claimed in its current period (absent: redeemable), by concurrent point reads.</summary>
    public async Task<IReadOnlyDictionary<string, PerkClaimEntity>> ClaimsAsync(string memberId, IEnumerable<PerkTemplate> perks, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var reads = perks
            .Select(perk => PerkClaimEntity.RowKeyFor(perk, now, options.Value.FindPerkDayZone()))
            .OfType<string>()
            .Select(rowKey => storage.Members.GetIfExistsAsync<PerkClaimEntity>(memberId, rowKey, cancellationToken));
        var claims = await Task.WhenAll(reads);
        return claims.OfType<PerkClaimEntity>().ToDictionary(c => c.PerkId, StringComparer.Ordinal);
    }

    /// <summary>
    /// What <see cref="RedemptionPlanner"/> needs of the member's rows, by point reads: the redemption under
    /// <paramref name="idempotencyKey"/>, the claim row <paramref name="claimRowKey"/> (if any) and, for points, the holds.
    /// </summary>
    public async Task<RedemptionState> StateAsync(string memberId, string idempotencyKey, string? claimRowKey, bool points, CancellationToken cancellationToken)
    {
        var claim = claimRowKey is null ? Task.FromResult<PerkClaimEntity?>(null) : storage.Members.GetIfExistsAsync<PerkClaimEntity>(memberId, claimRowKey, cancellationToken);
        var holds = points ? PointsHoldsEntity.ReadAsync(storage.Members, memberId, cancellationToken) : Task.FromResult(new PointsHoldsEntity { PartitionKey = memberId });
        var (takenClaim, currentHolds) = (await claim, await holds);

        // The redemption row last: it commits with the claim and holds it took, so a claim or hold seen above has its
        // redemption seen here, and a concurrent double submission replays rather than finding its own claim taken.
        var earlier = await storage.Members.GetIfExistsAsync<RedemptionEntity>(memberId, RedemptionEntity.RowKeyFor(idempotencyKey), cancellationToken);
        return new RedemptionState(earlier, takenClaim, currentHolds);
    }

    /// <summary>
    /// Inserts the planned redemption together with what it takes (a limited perk's claim, the member's new points
    /// holds under their ETag), all or nothing. False when a row collided: a redemption under the same key, the
    /// perk's claim for the period, or holds changed (or erased) since they were read; the caller reads and plans again.
    /// </summary>
    public async Task<bool> RecordAsync(RedemptionPlan.Record plan, CancellationToken cancellationToken)
    {
        var actions = new List<TableTransactionAction> { new(TableTransactionActionType.Add, plan.Redemption) };
        if (plan.Claim is not null)
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, plan.Claim));
        }

        if (plan.Holds is not null)
        {
            actions.Add(plan.Holds.WriteAction());
        }

        try
        {
            return await ConflictRetry.TryWriteAsync(() => storage.Members.SubmitTransactionAsync(actions, cancellationToken), StorageConflict.Any);
        }
        catch (RequestFailedException e) when (e.Status == 404 && plan.Holds is { ETag: var read } && read != default)
        {
            // The holds row read for this plan is gone: only erasure deletes it, and the next attempt finds the member erased.
            return false;
        }
    }

    /// <summary>
    /// After <see cref="RecordAsync"/>: whether the member was erased meanwhile, and if so their redemption rows are
    /// erased again. An erasure deletes these rows after it marks the member, so a redemption that read the member
    /// before the erasure and committed after its deletions would keep the name and points; one that committed
    /// before the mark is deleted by the erasure itself. One point read of the member row's <c>Deleted</c> column.
    /// </summary>
    public async Task<bool> EraseIfMemberErasedAsync(string memberId, CancellationToken cancellationToken)
    {
        var member = await storage.Members.GetEntityIfExistsAsync<MemberEntity>(memberId, MemberEntity.RowKeyValue, [nameof(MemberEntity.Deleted)], cancellationToken);
        if (member.HasValue && !member.Value!.Deleted)
        {
            return false;
        }

        await EraseAsync(memberId, cancellationToken);
        return true;
    }

    /// <summary>
    /// Erasure: deletes the member's stored redemption answers (they carry the name staff saw and the points)
    /// and points holds. Claims on limited perks stay: they name no one and keep a re-enrolled member from
    /// redeeming a once-only perk again.
    /// </summary>
    public async Task EraseAsync(string memberId, CancellationToken cancellationToken) =>
        await ConflictRetry.RunAsync($"Redemption erasure of {memberId}", MaxAttempts, async _ =>
        {
            var rows = storage.Members.QueryAsync<TableEntity>(
                e => e.PartitionKey == memberId && ((e.RowKey.CompareTo(RedemptionEntity.RowKeyPrefix) >= 0 && e.RowKey.CompareTo(RedemptionRowsEnd) < 0) || e.RowKey == PointsHoldsEntity.RowKeyValue),
                select: [nameof(ITableEntity.PartitionKey), nameof(ITableEntity.RowKey)],
                cancellationToken: cancellationToken);
            await foreach (var page in rows.AsPages(pageSizeHint: 100))
            {
                try
                {
                    if (page.Values.Count > 0)
                    {
                        await storage.Members.SubmitTransactionAsync(page.Values.Select(row => new TableTransactionAction(TableTransactionActionType.Delete, row, ETag.All)), cancellationToken);
                    }
                }
                catch (RequestFailedException e) when (e.Status == 404)
                {
                    // A concurrent erasure (the member's DELETE, or a redemption that found the member erased) deleted
                    // a row of this page first, failing the whole transaction: query again.
                    return false;
                }
            }

            return true;
        });

    public async Task MarkPublishedAsync(RedemptionEntity redemption, CancellationToken cancellationToken)
    {
        redemption.Published = true;
        try
        {
            await storage.Members.UpdateEntityAsync(
                new TableEntity(redemption.PartitionKey, redemption.RowKey) { [nameof(RedemptionEntity.Published)] = true },
                ETag.All,
                TableUpdateMode.Merge,
                cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // The member was erased after the redemption was published: its row went with everything else of theirs.
        }
    }
}
