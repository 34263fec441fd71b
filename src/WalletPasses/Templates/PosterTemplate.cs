namespace WalletPasses.Templates;

/// <summary>
/// Opts the template into Apple's poster generic style (iOS and watchOS 27): the pass carries a <c>posterGeneric</c>
/// dictionary beside its <c>storeCard</c>, so newer devices show the poster and older ones the store card with the
/// same data (Apple, "Creating a poster generic pass", "Ensure backward compatibility").
/// </summary>
public sealed record PosterTemplate
{
    /// <summary>Base name of the poster background (Apple's <c>artwork.png</c>, 358×448 points), at 1x, 2x and 3x.</summary>
    public required string Artwork { get; init; }

    /// <summary>Base name of the logo on the poster (Apple's <c>primaryLogo.png</c>, 30–126×30 points), at 1x, 2x and 3x.</summary>
    public required string PrimaryLogo { get; init; }

    /// <summary>Up to two links Wallet shows as cards below the pass, in priority order.</summary>
    public IReadOnlyList<FeaturedActionTemplate> FeaturedActions { get; init; } = [];
}
