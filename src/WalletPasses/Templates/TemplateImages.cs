namespace WalletPasses.Templates;

/// <summary>Base names of images; each exists as name.png, name@2x.png and name@3x.png.</summary>
public sealed record TemplateImages
{
    public required string Icon { get; init; }

    public required string Logo { get; init; }

    /// <summary>Square program logo for Google Wallet (one PNG).</summary>
    public string? ProgramLogo { get; init; }

    /// <summary>Wide banner for Google Wallet (one PNG).</summary>
    public string? Hero { get; init; }
}
