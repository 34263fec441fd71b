namespace WalletPasses.Events;

public static class LoyaltyEventTypes
{
    public const string PointsChanged = "points.changed";
    public const string TierChanged = "tier.changed";
    public const string ProfileChanged = "profile.changed";
    public const string OfferPublished = "offer.published";
    public const string OfferWithdrawn = "offer.withdrawn";

    /// <summary>The backend will not redeem a staff points request (<c>redemptionId</c>): its hold ends, the balance stays.</summary>
    public const string PointsRedemptionRefused = "points.redemption.refused";

    /// <summary>The member's notification preference (<c>notifications</c>) and/or time zone (<c>timeZone</c>) changed.</summary>
    public const string PreferencesChanged = "preferences.changed";

    public static readonly string[] All = [PointsChanged, TierChanged, ProfileChanged, OfferPublished, OfferWithdrawn, PointsRedemptionRefused, PreferencesChanged];
}
