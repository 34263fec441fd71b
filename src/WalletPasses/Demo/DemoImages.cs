namespace WalletPasses.Demo;

/// <summary>The preview's images; <see cref="Artwork"/> and <see cref="PrimaryLogo"/> only for a poster template.</summary>
public sealed record DemoImages(string Logo, string Strip, string? Artwork = null, string? PrimaryLogo = null);
