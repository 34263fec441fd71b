namespace WalletPasses.Popups;

/// <summary>
/// A pop-up store of a program: where it is (shown to Apple Wallet and Google Wallet as a relevant location), when it
/// is open, and which tiers' members it is for (empty: every member).
/// </summary>
/// <param name="RelevantText">What Apple Wallet shows on the lock screen near the place (Pass.Locations <c>relevantText</c>).</param>
public sealed record Popup(
    string Id,
    string Name,
    string Address,
    double Latitude,
    double Longitude,
    DateTimeOffset OpensAt,
    DateTimeOffset ClosesAt,
    IReadOnlyList<string> Tiers,
    string RelevantText)
{
    /// <summary>Whether a member of <paramref name="tier"/> may see it.</summary>
    public bool IsFor(string tier) => Tiers.Count == 0 || Tiers.Contains(tier, StringComparer.Ordinal);
}
