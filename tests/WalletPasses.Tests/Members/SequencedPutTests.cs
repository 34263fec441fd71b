using WalletPasses.Members;
using WalletPasses.Notifications;

namespace WalletPasses.Tests.Members;

/// <summary>The sequenced PUT rule, without storage: a PUT as of event sequence N against the fields' sequences.</summary>
public sealed class SequencedPutTests
{
    private static readonly MemberProfile Current = new("Jane Doe", 1300, "silver", null, "en");
    private static readonly MemberProfile Put = new("Jane Renamed", 1400, "gold", "https://shop.example/r/JANE10", "de");

    private static EventState State(params (string Field, long Sequence)[] sequences) =>
        EventState.Empty with { FieldSequences = sequences.ToDictionary(s => s.Field, s => s.Sequence) };

    [Fact]
    public void A_put_newer_than_every_event_sets_every_field_and_marks_it_set_at_its_sequence()
    {
        var (profile, state) = SequencedPut.Apply(Current, Put, State((MemberFields.Points, 17)), 18);

        Assert.Equal(Put, profile);
        Assert.All(new[] { MemberFields.DisplayName, MemberFields.Points, MemberFields.Tier, MemberFields.ReferralUrl, MemberFields.Language },
            field => Assert.Equal(18, state.SequenceOf(field)));
    }

    [Fact]
    public void A_field_a_newer_event_set_keeps_that_events_value_and_sequence()
    {
        var (profile, state) = SequencedPut.Apply(Current, Put, State((MemberFields.Points, 20)), 19);

        Assert.Equal(1300, profile.Points);
        Assert.Equal(20, state.SequenceOf(MemberFields.Points));
        Assert.Equal("gold", profile.Tier);
        Assert.Equal(19, state.SequenceOf(MemberFields.Tier));
    }

    [Fact]
    public void A_put_at_the_sequence_of_the_event_that_set_a_field_sets_it()
    {
        var (profile, _) = SequencedPut.Apply(Current, Put, State((MemberFields.Points, 18)), 18);

        Assert.Equal(1400, profile.Points);
    }

    [Fact]
    public void An_older_put_does_not_undo_a_newer_events_notification_preference_or_time_zone()
    {
        var (change, state) = SequencedPut.Apply(new NotificationSettingsChange("all", "Europe/Berlin"), State((MemberFields.Notifications, 20), (MemberFields.TimeZone, 20)), 19);

        // Before the fix the PUT applied its preference whatever its sequence: a member who opted out got alerts again.
        Assert.Equal(NotificationSettingsChange.None, change);
        Assert.Equal(20, state.SequenceOf(MemberFields.Notifications));
        Assert.Equal(20, state.SequenceOf(MemberFields.TimeZone));
    }

    [Fact]
    public void A_newer_put_sets_the_preference_and_time_zone_it_names_and_marks_only_those()
    {
        var (change, state) = SequencedPut.Apply(new NotificationSettingsChange("none", null), State((MemberFields.Notifications, 17)), 18);

        Assert.Equal(new NotificationSettingsChange("none", null), change);
        Assert.Equal(18, state.SequenceOf(MemberFields.Notifications));
        Assert.Equal(-1, state.SequenceOf(MemberFields.TimeZone)); // left out: an older event may still set it
    }
}
