namespace WalletPasses.Popups;

/// <summary>One revision of the pop-ups a program's passes carry, soonest first (see <see cref="CarriedPopupsEntity"/>).</summary>
public sealed record CarriedPopupSet(long Revision, DateTimeOffset ChangedAt, IReadOnlyList<Popup> Popups)
{
    public static readonly CarriedPopupSet None = new(0, DateTimeOffset.MinValue, []);

    /// <summary>What a pass of a member of <paramref name="tier"/> carries (at most <see cref="PopupRules.MaxPerPass"/>).</summary>
    public IReadOnlyList<Popup> For(string tier) => PopupRules.ForTier(Popups, tier);
}
