namespace WalletPasses.Activity;

/// <summary>
/// The <c>pass-activity</c> message (and webhook body) of a points redemption: a request to the ledger,
/// which answers with its next <c>points.changed</c> event. <see cref="BalanceShown"/> is the balance staff saw.
/// </summary>
public sealed record PointsRedemptionRequested(
    string Id, DateTimeOffset OccurredAt, string? Location, string StaffKey, string MemberId, string SerialNumber, long Points, long BalanceShown) : IPassActivity
{
    public string Type => PassActivityTypes.PointsRedemptionRequested;

    /// <summary>The member's program; <c>memberId</c> is the id that program's backend knows.</summary>
    public string? ProgramId { get; init; }
}
