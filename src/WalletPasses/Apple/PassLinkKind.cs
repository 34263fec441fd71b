namespace WalletPasses.Apple;

/// <summary>
/// What a customer link opens. The purpose is part of the signed text, so a link made for one route
/// cannot be replayed against another.
/// </summary>
public sealed record PassLinkKind(string Purpose, string RoutePrefix)
{
    /// <summary>The Apple pass download: <c>/api/apple/passes/{serial}</c>.</summary>
    public static readonly PassLinkKind ApplePass = new("apple-pass", "api/apple/passes/");

    /// <summary>The redirect to Google's "save to wallet" page: <c>/api/google/save/{serial}</c>.</summary>
    public static readonly PassLinkKind GoogleSave = new("google-save", "api/google/save/");
}
