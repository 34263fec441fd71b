namespace WalletPasses.Google;

/// <summary>
/// Schema <c>AppLinkData</c>: "Optional app or website link that will be displayed as a button on the front of the pass";
/// <c>displayText</c> has a 30-character limit. <c>iosAppLinkInfo</c> is deprecated ("Links to open iOS apps are not
/// supported") and the info's title, description and logo are too, so only the target is sent.
/// </summary>
public sealed record AppLinkData
{
    public AppLinkInfo? AndroidAppLinkInfo { get; init; }
    public AppLinkInfo? WebAppLinkInfo { get; init; }
    public LocalizedString? DisplayText { get; init; }
}

/// <summary>Schema <c>AppLinkDataAppLinkInfo</c>, only its <c>appTarget</c>.</summary>
public sealed record AppLinkInfo(AppTarget AppTarget);

/// <summary>Schema <c>AppLinkDataAppLinkInfoAppTarget</c>: a package name, or a URI whose description "must be set".</summary>
public sealed record AppTarget
{
    public string? PackageName { get; init; }
    public LinkUri? TargetUri { get; init; }
}
