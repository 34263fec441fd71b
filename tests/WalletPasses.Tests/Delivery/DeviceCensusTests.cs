using WalletPasses.Delivery;

namespace WalletPasses.Tests.Delivery;

/// <summary>One member's device census from its registrations, announcement and trace alone (no storage).</summary>
public sealed class DeviceCensusTests
{
    private const string Serial = "0123456789abcdef0123456789abcdef";
    private static readonly DateTimeOffset AnnouncedAt = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private static CensusRegistration Registered(string device, int secondsAfterAnnouncement = -60, string serial = Serial) =>
        new(device, serial, AnnouncedAt.AddSeconds(secondsAfterAnnouncement));

    private static string Pushes(params (string Device, string State)[] devices)
    {
        var pushes = DevicePushes.Parse(null);
        foreach (var (device, state) in devices)
        {
            pushes.Record(device, new DevicePush(state, AnnouncedAt.AddSeconds(1), state == DevicePushStates.Pushed ? 200 : 410, null, null));
        }

        return pushes.ToRecord();
    }

    private static DeliveryTraceEntity Row(string kind, int secondsAfterAnnouncement, string? device = null, long? version = null) =>
        new() { Kind = kind, At = AnnouncedAt.AddSeconds(secondsAfterAnnouncement), Device = device, Version = version, Status = kind == DeliveryTraceKinds.Fetch ? 200 : null };

    [Fact]
    public void Each_registered_device_is_counted_once_by_its_state_and_gone_devices_without_registration_stay_out_of_the_share()
    {
        var counts = DeviceCensus.OfMember(
            Serial,
            7,
            [Registered("fetched"), Registered("asleep"), Registered("failing"), Registered("gone-but-registered"), Registered("new", secondsAfterAnnouncement: 30)],
            AnnouncedAt,
            Pushes(("fetched", DevicePushStates.Pushed), ("asleep", DevicePushStates.Pushed), ("failing", DevicePushStates.Failed), ("gone-but-registered", DevicePushStates.Gone), ("removed", DevicePushStates.Gone)),
            [Row(DeliveryTraceKinds.List, 2, "fetched"), Row(DeliveryTraceKinds.Fetch, 3, version: 7)]);

        Assert.Equal(new DeviceCensusCounts(Members: 1, Registered: 5, Current: 2, PushedNotFetched: 1, PushFailed: 1, NotYetPushed: 0, Gone: 1, Unregistered: 1), counts);
        Assert.Equal(0.4, counts.CurrentShare);
    }

    [Fact]
    public void A_device_registered_before_the_version_without_a_push_for_it_yet_does_not_hold_it()
    {
        // The delivery report calls a device without a push "current" (it registered with the version); one that
        // registered before the announcement and was not pushed yet (the delivery is pending) still has the old one.
        var counts = DeviceCensus.OfMember(Serial, 7, [Registered("waiting", -60), Registered("installed-since", 60)], AnnouncedAt, Pushes(), []);

        Assert.Equal((1L, 1L), (counts.NotYetPushed, counts.Current));
    }

    [Fact]
    public void Registrations_of_an_older_serial_number_and_fetches_of_older_versions_do_not_count()
    {
        var counts = DeviceCensus.OfMember(
            Serial,
            7,
            [Registered("stale", serial: "ffffffffffffffffffffffffffffffff"), Registered("old-fetch")],
            AnnouncedAt,
            Pushes(("old-fetch", DevicePushStates.Pushed)),
            [Row(DeliveryTraceKinds.List, 2, "old-fetch"), Row(DeliveryTraceKinds.Fetch, 3, version: 6)]);

        Assert.Equal((1L, 0L, 1L), (counts.Registered, counts.Current, counts.PushedNotFetched));
    }

    [Fact]
    public void A_member_without_an_announcement_has_every_registered_device_current_and_needs_no_trace()
    {
        var registrations = new[] { Registered("a"), Registered("b") };

        var counts = DeviceCensus.OfMember(Serial, 1, registrations, null, null, []);

        Assert.Equal((2L, 2L), (counts.Registered, counts.Current));
        Assert.False(DeviceCensus.NeedsTrace(Serial, registrations, null));
        Assert.True(DeviceCensus.NeedsTrace(Serial, registrations, Pushes(("a", DevicePushStates.Pushed))));
        Assert.False(DeviceCensus.NeedsTrace(Serial, registrations, Pushes(("a", DevicePushStates.Failed))));
    }

    [Fact]
    public void Counts_add_up_and_the_share_is_null_without_registered_devices()
    {
        var one = new DeviceCensusCounts(1, 2, 1, 1, 0, 0, 0, 0);

        Assert.Equal(new DeviceCensusCounts(2, 4, 2, 2, 0, 0, 0, 0), one.Add(one));
        Assert.Null(DeviceCensusCounts.None.CurrentShare);
    }
}
