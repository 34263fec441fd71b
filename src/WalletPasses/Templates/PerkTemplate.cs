namespace WalletPasses.Templates;

public sealed record PerkTemplate
{
    public required string Id { get; init; }

    /// <summary>How often staff may redeem the perk for one member.</summary>
    public PerkRedemption Redemption { get; init; } = PerkRedemption.Unlimited;
}
