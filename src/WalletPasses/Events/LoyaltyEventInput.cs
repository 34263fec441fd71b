namespace WalletPasses.Events;

/// <summary>
/// A loyalty event as the backend sends it (HTTP or straight onto the <c>loyalty-events</c> queue).
/// Values are absolute: the backend is the ledger. Everything is nullable so validation can name what
/// is missing instead of the serializer defaulting it. <c>programId</c> names the member's program (absent: the
/// deployment's default program). The parameters with a default are the optional ones (which type needs which:
/// <see cref="LoyaltyEventValidation"/>): the OpenAPI document marks only the others required.
/// </summary>
public sealed record LoyaltyEventInput(
    string? EventId,
    string? MemberId,
    long? Sequence,
    DateTimeOffset? OccurredAt,
    string? Type,
    long? Points = null,
    long? Delta = null,
    string? Tier = null,
    string? DisplayName = null,
    string? ReferralUrl = null,
    string? Language = null,
    OfferInput? Offer = null,
    string? RedemptionId = null,
    string? Notifications = null,
    string? TimeZone = null,
    string? ProgramId = null);
