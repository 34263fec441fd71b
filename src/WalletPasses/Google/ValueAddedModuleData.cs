namespace WalletPasses.Google;

/// <summary>
/// Schema <c>ValueAddedModuleData</c>: a tappable card on the pass. "Required fields are header and uri"; the header is
/// cut at 60 characters, the body at 50; at most ten on a class and ten on an object (walletobjects v1 discovery document).
/// </summary>
public sealed record ValueAddedModuleData
{
    public required LocalizedString Header { get; init; }
    public LocalizedString? Body { get; init; }
    public required string Uri { get; init; }
    /// <summary>Lower first; unset counts as INT_MAX.</summary>
    public int? SortIndex { get; init; }
    public ModuleViewConstraints? ViewConstraints { get; init; }
}

/// <summary>Schema <c>ModuleViewConstraints</c>: the module shows only within <see cref="DisplayInterval"/>.</summary>
public sealed record ModuleViewConstraints(TimeInterval DisplayInterval);
