namespace WalletPasses.Events;

/// <summary>
/// A loyalty event as the backend sends it (HTTP or straight onto the <c>loyalty-events</c> queue).
/// Values are absolute: the backend is the ledger. Everything is nullable so validation can name what
/// is missing instead of the serializer defaulting it.
/// </summary>
public sealed record LoyaltyEventInput(
    string? EventId,
    string? MemberId,
    long? Sequence,
    DateTimeOffset? OccurredAt,
    string? Type,
    long? Points,
    long? Delta,
    string? Tier,
    string? DisplayName,
    string? ReferralUrl,
    string? Language,
    OfferInput? Offer,
    string? RedemptionId = null,
    string? Notifications = null,
    string? TimeZone = null);

public sealed record OfferInput(string? Id, string? Title, string? Text, DateTimeOffset? ExpiresAt);

/// <summary>A validated loyalty event.</summary>
public sealed record LoyaltyEvent(
    string EventId,
    string MemberId,
    long Sequence,
    DateTimeOffset OccurredAt,
    string Type,
    long? Points,
    string? Tier,
    string? DisplayName,
    string? ReferralUrl,
    string? Language,
    OfferInput? Offer,
    string? RedemptionId = null,
    string? Notifications = null,
    string? TimeZone = null);

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
