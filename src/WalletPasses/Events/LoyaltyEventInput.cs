namespace WalletPasses.Events;

/// <summary>
/// A loyalty event as the backend sends it (HTTP or straight onto the <c>loyalty-events</c> queue).
/// Values are absolute: the backend is the ledger. Everything is nullable so validation can name what
/// is missing instead of the serializer defaulting it. <c>programId</c> names the member's program (absent: the
/// deployment's default program).
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
    string? TimeZone = null,
    string? ProgramId = null);
