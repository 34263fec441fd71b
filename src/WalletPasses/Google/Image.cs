namespace WalletPasses.Google;

/// <summary>Schema <c>Image</c>.</summary>
public sealed record Image
{
    public required ImageUri SourceUri { get; init; }
    public LocalizedString? ContentDescription { get; init; }
}

/// <summary>Schema <c>ImageUri</c>: a public HTTPS image URL.</summary>
public sealed record ImageUri(string Uri);
