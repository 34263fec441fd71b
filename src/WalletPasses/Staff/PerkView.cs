using WalletPasses.Templates;

namespace WalletPasses.Staff;

/// <summary>A perk of the member's tier and whether its rule lets staff redeem it now.</summary>
public sealed record PerkView(string Id, string Title, PerkRedemption Redemption, bool Redeemable, DateTimeOffset? RedeemedAt);
