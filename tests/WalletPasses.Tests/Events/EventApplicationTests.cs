using WalletPasses.Events;
using WalletPasses.Members;
using WalletPasses.Notifications;

namespace WalletPasses.Tests.Events;

public sealed class EventApplicationTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private static readonly MemberProfile Jane = new("Jane Doe", 1000, "silver", null, null);

    private static LoyaltyEvent Event(long sequence, string type = LoyaltyEventTypes.PointsChanged, long? points = null, string? tier = null, string? displayName = null, OfferInput? offer = null) =>
        new($"evt-{sequence}", "m-1", sequence, Now, type, points, tier, displayName, null, null, offer);

    private static (MemberProfile Profile, EventState State, List<AppliedEvent> Outcomes) ApplyAll(params LoyaltyEvent[] events)
    {
        var profile = Jane;
        var state = EventState.Empty;
        var outcomes = new List<AppliedEvent>();
        foreach (var loyaltyEvent in events)
        {
            var applied = EventApplication.Apply(profile, state, loyaltyEvent, Now);
            (profile, state) = (applied.Profile, applied.State);
            outcomes.Add(applied);
        }

        return (profile, state, outcomes);
    }

    [Fact]
    public void A_late_event_applies_only_the_fields_no_newer_event_has_set()
    {
        var (profile, _, outcomes) = ApplyAll(
            Event(2, points: 1300, tier: "gold"),
            Event(1, points: 1100, tier: "silver", displayName: "Jane D."));

        Assert.Equal(1300, profile.Points);
        Assert.Equal("gold", profile.Tier);
        Assert.Equal("Jane D.", profile.DisplayName); // no newer event set it
        Assert.True(outcomes[1].PassChanged);
    }

    [Fact]
    public void An_event_older_than_every_field_it_carries_changes_nothing()
    {
        var (profile, _, outcomes) = ApplyAll(Event(5, points: 1300), Event(4, points: 1200));

        Assert.Equal(1300, profile.Points);
        Assert.False(outcomes[1].PassChanged);
    }

    [Fact]
    public void Points_and_tier_changes_alert_and_a_name_change_does_not()
    {
        var (_, _, outcomes) = ApplyAll(Event(1, points: 1300), Event(2, type: LoyaltyEventTypes.ProfileChanged, displayName: "Jane Q. Doe"), Event(3, points: 1300));

        Assert.Equal(PassAlerts.Points, outcomes[0].Changes);
        Assert.True(outcomes[1].PassChanged);
        Assert.Equal(PassAlerts.None, outcomes[1].Changes);
        Assert.False(outcomes[2].PassChanged); // same balance again
    }

    [Fact]
    public void A_tier_and_points_change_reports_both_so_the_policy_can_tell_them_apart()
    {
        var (_, _, outcomes) = ApplyAll(Event(1, type: LoyaltyEventTypes.TierChanged, points: 1500, tier: "gold"));

        Assert.Equal(PassAlerts.Points | PassAlerts.Tier, outcomes[0].Changes);
    }

    [Fact]
    public void A_preferences_event_changes_the_settings_but_not_the_pass_and_a_late_one_loses()
    {
        var settings = new NotificationSettings(NotificationPreferences.All, null);
        var newer = EventApplication.Apply(Jane, EventState.Empty, Event(5, type: LoyaltyEventTypes.PreferencesChanged) with { Notifications = "important", TimeZone = "Europe/Berlin" }, Now, settings);
        var late = EventApplication.Apply(newer.Profile, newer.State, Event(4, type: LoyaltyEventTypes.PreferencesChanged) with { Notifications = "none" }, Now, newer.Settings);

        Assert.Equal(new NotificationSettings("important", "Europe/Berlin"), newer.Settings);
        Assert.False(newer.PassChanged);
        Assert.Equal("important", late.Settings.Preference);
    }

    [Fact]
    public void An_empty_time_zone_goes_back_to_the_deployment_default_and_a_left_out_one_keeps_the_members()
    {
        var berlin = new NotificationSettings(NotificationPreferences.All, "Europe/Berlin");
        var kept = EventApplication.Apply(Jane, EventState.Empty, Event(5, type: LoyaltyEventTypes.PreferencesChanged) with { Notifications = "important" }, Now, berlin);
        var dropped = EventApplication.Apply(kept.Profile, kept.State, Event(6, type: LoyaltyEventTypes.PreferencesChanged) with { TimeZone = MemberTimeZones.DeploymentDefault }, Now, kept.Settings);
        var lateZone = EventApplication.Apply(dropped.Profile, dropped.State, Event(4, type: LoyaltyEventTypes.PreferencesChanged) with { TimeZone = "Asia/Tokyo" }, Now, dropped.Settings);

        Assert.Equal("Europe/Berlin", kept.Settings.TimeZone);
        Assert.Null(dropped.Settings.TimeZone);
        Assert.Null(lateZone.Settings.TimeZone); // older than the reset: loses
    }

    [Fact]
    public void A_published_offer_shows_and_a_withdrawal_removes_it_even_if_the_publication_arrives_late()
    {
        var offer = new OfferInput("winter", "Winter drop", "Early access Friday", null);
        var (_, state, outcomes) = ApplyAll(
            Event(7, type: LoyaltyEventTypes.OfferWithdrawn, offer: new OfferInput("winter", null, null, null)),
            Event(6, type: LoyaltyEventTypes.OfferPublished, offer: offer));

        Assert.Empty(state.CurrentOffers);
        Assert.False(outcomes[1].PassChanged);

        var (_, published, publishedOutcomes) = ApplyAll(Event(6, type: LoyaltyEventTypes.OfferPublished, offer: offer));
        Assert.Equal("Winter drop", Assert.Single(published.CurrentOffers).Title);
        Assert.Equal(PassAlerts.Offers, publishedOutcomes[0].Changes);
    }

    [Fact]
    public void Expired_offers_leave_the_pass_with_the_next_change()
    {
        var expiring = new OfferInput("flash", "Flash sale", "Today only", Now.AddHours(1));
        var applied = EventApplication.Apply(Jane, EventState.Empty, Event(1, type: LoyaltyEventTypes.OfferPublished, offer: expiring), Now);

        var later = EventApplication.Apply(applied.Profile, applied.State, Event(2, points: 2000), Now.AddHours(2));

        Assert.Single(applied.State.CurrentOffers);
        Assert.Empty(later.State.CurrentOffers);
    }

    [Fact]
    public void The_state_round_trips_through_its_stored_JSON()
    {
        var (_, state, _) = ApplyAll(Event(1, points: 5), Event(2, type: LoyaltyEventTypes.OfferPublished, offer: new OfferInput("o", "T", "X", Now.AddDays(3))));

        var reloaded = EventState.Parse(state.ToJson());

        Assert.Equal(state.FieldSequences, reloaded.FieldSequences);
        Assert.Equal(state.Offers, reloaded.Offers);
        Assert.Equal(state.AlertTimes, reloaded.AlertTimes);
    }
}
