using WalletPasses.Activity;

namespace WalletPasses.Staff;

/// <summary>What <see cref="RedemptionPlanner"/> decided for one request. A closed set: match on the nested records.</summary>
public abstract record RedemptionPlan
{
    private RedemptionPlan()
    {
    }

    /// <summary>
    /// Accept: insert <see cref="Redemption"/> together with what it takes (a limited perk's <see cref="Claim"/>,
    /// or the member's new points <see cref="Holds"/>, written under the ETag they were read with), all or
    /// nothing; then publish <see cref="Activity"/> and answer with the answer stored on the redemption row.
    /// </summary>
    public sealed record Record(RedemptionEntity Redemption, PerkClaimEntity? Claim, PointsHoldsEntity? Holds, IPassActivity Activity, RedemptionAnswer Answer) : RedemptionPlan;

    /// <summary>The idempotency key was accepted before for this same request: answer as then (publishing first if that never happened).</summary>
    public sealed record Replay(RedemptionEntity Earlier) : RedemptionPlan;

    /// <summary>Nothing is redeemed: a problem details answer with <c>reason</c> (and <see cref="Extensions"/>).</summary>
    public sealed record Refuse(int Status, string Reason, string Title, string Detail, IReadOnlyDictionary<string, object?> Extensions) : RedemptionPlan;
}
