using WalletPasses.Members;
using WalletPasses.Notifications;
using WalletPasses.Security;
using WalletPasses.Templates;

namespace WalletPasses.Events;

public static class LoyaltyEventValidation
{
    public const int MaxOfferTextLength = 500;
    public const int MaxOfferIdLength = 64;

    /// <summary>Validates one event; errors are keyed "{prefix}field" so a batch can name each bad event.</summary>
    public static LoyaltyEvent? Validate(LoyaltyEventInput input, ProgramTemplate template, string prefix, IDictionary<string, string[]> errors)
    {
        var before = errors.Count;
        void Fail(string field, string message) => errors[prefix + field] = [message];

        if (MemberValidation.MemberIdError(input.EventId) is { } eventIdError)
        {
            Fail("eventId", eventIdError.Replace("A member id", "An eventId", StringComparison.Ordinal));
        }

        if (MemberValidation.MemberIdError(input.MemberId) is { } memberIdError)
        {
            Fail("memberId", memberIdError);
        }

        if (input.Sequence is not >= 0)
        {
            Fail("sequence", "sequence is required and must be a non-negative integer that increases per member.");
        }

        if (input.OccurredAt is null)
        {
            Fail("occurredAt", "occurredAt is required (ISO 8601).");
        }

        if (input.Type is null || !LoyaltyEventTypes.All.Contains(input.Type))
        {
            Fail("type", $"type must be one of: {string.Join(", ", LoyaltyEventTypes.All)}.");
        }

        if (input.Points is < 0)
        {
            Fail("points", "points is the balance after the change and cannot be negative.");
        }

        if (input.Tier is not null && template.FindTier(input.Tier) is null)
        {
            Fail("tier", $"Unknown tier; the program has: {string.Join(", ", template.Tiers.Select(t => t.Id))}.");
        }

        if (input.DisplayName is not null && MemberValidation.DisplayNameError(input.DisplayName) is { } displayNameError)
        {
            Fail("displayName", displayNameError);
        }

        if (MemberValidation.ReferralUrlError(input.ReferralUrl) is { } referralUrlError)
        {
            Fail("referralUrl", referralUrlError);
        }

        if (MemberValidation.LanguageError(input.Language) is { } languageError)
        {
            Fail("language", languageError);
        }

        if (NotificationPreferences.Error(input.Notifications) is { } notificationsError)
        {
            Fail("notifications", notificationsError);
        }

        if (MemberTimeZones.Error(input.TimeZone) is { } timeZoneError)
        {
            Fail("timeZone", timeZoneError);
        }

        if (input.Type != LoyaltyEventTypes.PreferencesChanged && (input.Notifications is not null || input.TimeZone is not null))
        {
            Fail("notifications", "notifications and timeZone belong only to preferences.changed events.");
        }

        switch (input.Type)
        {
            case LoyaltyEventTypes.PreferencesChanged when input.Notifications is null && input.TimeZone is null:
                Fail("notifications", "A preferences.changed event carries notifications (all, important or none) and/or timeZone.");
                break;
            case LoyaltyEventTypes.PointsChanged when input.Points is null:
                Fail("points", "A points.changed event carries the new balance in points.");
                break;
            case LoyaltyEventTypes.TierChanged when input.Tier is null:
                Fail("tier", "A tier.changed event carries the new tier.");
                break;
            case LoyaltyEventTypes.ProfileChanged when input.DisplayName is null && input.ReferralUrl is null && input.Language is null:
                Fail("displayName", "A profile.changed event carries displayName, referralUrl or language.");
                break;
            case LoyaltyEventTypes.OfferPublished:
                ValidateOffer(input.Offer, requireContent: true, Fail);
                break;
            case LoyaltyEventTypes.OfferWithdrawn:
                ValidateOffer(input.Offer, requireContent: false, Fail);
                break;
            case LoyaltyEventTypes.PointsRedemptionRefused when input.RedemptionId is null:
                Fail("redemptionId", "A points.redemption.refused event names the staff request in redemptionId.");
                break;
        }

        if (input.RedemptionId is not null && (Staff.StaffInput.NameError("redemptionId", input.RedemptionId) is not null || input.Type is not (LoyaltyEventTypes.PointsChanged or LoyaltyEventTypes.PointsRedemptionRefused)))
        {
            Fail("redemptionId", "redemptionId (the id of a points.redemption.requested) belongs only to points.changed and points.redemption.refused events.");
        }

        if (input.Type is not (LoyaltyEventTypes.OfferPublished or LoyaltyEventTypes.OfferWithdrawn) && input.Offer is not null)
        {
            Fail("offer", "offer belongs only to offer.published and offer.withdrawn events.");
        }

        return errors.Count > before
            ? null
            : new LoyaltyEvent(input.EventId!, input.MemberId!, input.Sequence!.Value, input.OccurredAt!.Value, input.Type!, input.Points, input.Tier, input.DisplayName?.Trim(), input.ReferralUrl, input.Language, input.Offer, input.RedemptionId, input.Notifications, input.TimeZone);
    }

    private static void ValidateOffer(OfferInput? offer, bool requireContent, Action<string, string> fail)
    {
        if (offer is null)
        {
            fail("offer", "This event type needs an offer object.");
            return;
        }

        if (!IdentifierFormat.OfferId.IsValid(offer.Id))
        {
            fail("offer.id", $"offer.id is required: up to {MaxOfferIdLength} letters, digits, '-', '_' or '.'.");
        }

        if (requireContent && (string.IsNullOrWhiteSpace(offer.Title) || offer.Title.Length > 100 || offer.Title.Any(char.IsControl)))
        {
            fail("offer.title", "offer.title is required: up to 100 characters without control characters.");
        }

        if (requireContent && (string.IsNullOrWhiteSpace(offer.Text) || offer.Text.Length > MaxOfferTextLength))
        {
            fail("offer.text", $"offer.text is required: up to {MaxOfferTextLength} characters.");
        }
    }
}
