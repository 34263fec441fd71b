namespace WalletPasses.Templates;

/// <summary>
/// The program's app, shown by Google Wallet as a button on the front of the pass (<c>appLinkData</c>): the Android app
/// by package name and/or a web address. Its text is the optional string <c>label.app</c>.
/// </summary>
public sealed record AppLinkTemplate
{
    /// <summary>Android package name, for example <c>com.northwind.rewards</c>.</summary>
    public string? AndroidPackage { get; init; }

    /// <summary>HTTPS page opened where the app is not installed.</summary>
    public string? Web { get; init; }
}
