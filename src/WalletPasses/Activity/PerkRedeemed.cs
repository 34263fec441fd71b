using WalletPasses.Templates;

namespace WalletPasses.Activity;

/// <summary>The <c>pass-activity</c> message of a perk staff redeemed.</summary>
public sealed record PerkRedeemed(
    string Id, DateTimeOffset OccurredAt, string? Location, string StaffKey, string MemberId, string SerialNumber, string PerkId, PerkRedemption Redemption) : IPassActivity
{
    public string Type => PassActivityTypes.PerkRedeemed;

    /// <summary>The member's program; <c>memberId</c> is the id that program's backend knows.</summary>
    public string? ProgramId { get; init; }
}
