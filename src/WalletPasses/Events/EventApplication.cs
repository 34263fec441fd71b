using WalletPasses.Members;
using WalletPasses.Notifications;

namespace WalletPasses.Events;

/// <summary>
/// Per-field last-writer-wins: each field an event carries is applied only if no event with a higher
/// sequence has set that field, so a late event still applies what no newer event touched. Pure.
/// </summary>
public static class EventApplication
{
    public const string PointsField = MemberFields.Points;
    public const string TierField = MemberFields.Tier;
    public const string DisplayNameField = MemberFields.DisplayName;
    public const string ReferralUrlField = MemberFields.ReferralUrl;
    public const string LanguageField = MemberFields.Language;
    public const string NotificationsField = MemberFields.Notifications;
    public const string TimeZoneField = MemberFields.TimeZone;

    public static AppliedEvent Apply(MemberProfile profile, EventState state, LoyaltyEvent loyaltyEvent, DateTimeOffset now, NotificationSettings? settings = null)
    {
        var before = profile;
        settings ??= NotificationSettings.Default;
        var sequences = new Dictionary<string, long>(state.FieldSequences);
        var alerts = PassAlerts.None;
        bool Wins(string field) => loyaltyEvent.Sequence > (sequences.TryGetValue(field, out var s) ? s : -1);

        if (loyaltyEvent.Points is { } points && Wins(PointsField))
        {
            sequences[PointsField] = loyaltyEvent.Sequence;
            alerts |= points != profile.Points ? PassAlerts.Points : PassAlerts.None;
            profile = profile with { Points = points };
        }

        if (loyaltyEvent.Tier is { } tier && Wins(TierField))
        {
            sequences[TierField] = loyaltyEvent.Sequence;
            alerts |= tier != profile.Tier ? PassAlerts.Tier : PassAlerts.None;
            profile = profile with { Tier = tier };
        }

        if (loyaltyEvent.DisplayName is { } displayName && Wins(DisplayNameField))
        {
            sequences[DisplayNameField] = loyaltyEvent.Sequence;
            profile = profile with { DisplayName = displayName };
        }

        if (loyaltyEvent.ReferralUrl is { } referralUrl && Wins(ReferralUrlField))
        {
            sequences[ReferralUrlField] = loyaltyEvent.Sequence;
            profile = profile with { ReferralUrl = referralUrl };
        }

        if (loyaltyEvent.Language is { } language && Wins(LanguageField))
        {
            sequences[LanguageField] = loyaltyEvent.Sequence;
            profile = profile with { Language = language };
        }

        // Notification settings are not pass content: they change no version.
        string? Newer(string field, string? value)
        {
            if (value is null || !Wins(field))
            {
                return null;
            }

            sequences[field] = loyaltyEvent.Sequence;
            return value;
        }

        settings = new NotificationSettings(
            Newer(NotificationsField, loyaltyEvent.Notifications) ?? settings.Preference,
            MemberTimeZones.Apply(Newer(TimeZoneField, loyaltyEvent.TimeZone), settings.TimeZone));

        var newState = state with { FieldSequences = sequences };
        var offersChanged = false;
        if (loyaltyEvent.Offer is { Id: { } offerId } offer)
        {
            var current = state.Offers.FirstOrDefault(o => o.Id == offerId);
            if (current is null || loyaltyEvent.Sequence > current.Sequence)
            {
                var withdrawn = loyaltyEvent.Type == LoyaltyEventTypes.OfferWithdrawn;
                var next = new OfferState(offerId, withdrawn ? null : offer.Title, withdrawn ? null : offer.Text, offer.ExpiresAt, loyaltyEvent.Sequence, withdrawn);
                offersChanged = current is null ? !withdrawn : current with { Sequence = next.Sequence } != next;
                alerts |= !withdrawn && offersChanged ? PassAlerts.Offers : PassAlerts.None;
                newState = newState.WithOffer(next);
            }
        }

        // Offers past their expiry leave with this version (the offer-expiry job takes them off at expiry otherwise).
        if (OfferExpiry.ExpiredAt(newState, now).Count > 0)
        {
            newState = OfferExpiry.Expire(newState, now);
            offersChanged = true;
        }

        var passChanged = offersChanged || profile != before;
        return new AppliedEvent(profile, newState, passChanged, passChanged ? alerts : PassAlerts.None, settings);
    }
}
