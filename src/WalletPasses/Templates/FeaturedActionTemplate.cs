namespace WalletPasses.Templates;

/// <summary>
/// One of the poster's featured actions: Apple's action <see cref="Type"/> (such as <c>membershipBenefits</c>) opening
/// one of the template's links (<see cref="TemplateLinks.Perks"/>, <see cref="TemplateLinks.Offers"/>) or the member's
/// referral link. The link name is the action's identifier in pass.json.
/// </summary>
public sealed record FeaturedActionTemplate
{
    public required string Type { get; init; }

    /// <summary><c>perks</c>, <c>offers</c> or <c>referral</c>.</summary>
    public required string Link { get; init; }
}
