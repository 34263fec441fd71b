namespace WalletPasses.Events;

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
