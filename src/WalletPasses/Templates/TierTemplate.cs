namespace WalletPasses.Templates;

public sealed record TierTemplate
{
    public required string Id { get; init; }

    public required string BackgroundColor { get; init; }

    public required string ForegroundColor { get; init; }

    public required string LabelColor { get; init; }

    /// <summary>Base name of the tier's strip image.</summary>
    public required string Strip { get; init; }

    public IReadOnlyList<PerkTemplate> Perks { get; init; } = [];
}
