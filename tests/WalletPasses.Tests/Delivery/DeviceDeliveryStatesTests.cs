using WalletPasses.Delivery;

namespace WalletPasses.Tests.Delivery;

/// <summary>The device states of the delivery report, from the announcement's pushes and the trace alone.</summary>
public sealed class DeviceDeliveryStatesTests
{
    private static readonly DateTimeOffset PushedAt = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private static DevicePushes Pushes(params (string Device, string State)[] devices)
    {
        var pushes = DevicePushes.Parse(null);
        foreach (var (device, state) in devices)
        {
            pushes.Record(device, new DevicePush(state, PushedAt, state == DevicePushStates.Pushed ? 200 : 503, null, null));
        }

        return pushes;
    }

    private static DeliveryTraceEntity Row(string kind, int secondsAfterPush, string? device = null, long? version = null, int? status = null) =>
        new() { Kind = kind, At = PushedAt.AddSeconds(secondsAfterPush), Device = device, Version = version, Status = status };

    private static string StateOf(IReadOnlyList<DeviceDelivery> states, string device) => states.Single(s => s.DeviceLibraryIdentifier == device).State;

    [Fact]
    public void A_device_that_asked_after_the_push_and_then_fetched_the_version_is_current()
    {
        var states = DeviceDeliveryStates.Of(["a"], Pushes(("a", DevicePushStates.Pushed)), 7, [Row("list", 1, "a"), Row("fetch", 2, version: 7, status: 200)]);

        Assert.Equal("current", StateOf(states, "a"));
    }

    [Fact]
    public void A_fetch_that_answered_304_counts_as_holding_the_version()
    {
        var states = DeviceDeliveryStates.Of(["a"], Pushes(("a", DevicePushStates.Pushed)), 7, [Row("list", 1, "a"), Row("fetch", 2, version: 7, status: 304)]);

        Assert.Equal("current", StateOf(states, "a"));
    }

    [Theory]
    [InlineData(-5, 2, 7)] // asked before the push only
    [InlineData(1, -1, 7)] // fetched, but before it asked after the push
    [InlineData(1, 2, 6)] // fetched an older version
    public void A_pushed_device_without_a_call_and_a_fetch_of_the_version_after_the_push_is_pushed_not_fetched(int listedAfter, int fetchedAfter, long fetchedVersion)
    {
        var states = DeviceDeliveryStates.Of(["a"], Pushes(("a", DevicePushStates.Pushed)), 7, [Row("list", listedAfter, "a"), Row("fetch", fetchedAfter, version: fetchedVersion, status: 200)]);

        Assert.Equal("pushed-not-fetched", StateOf(states, "a"));
    }

    [Fact]
    public void Another_devices_call_does_not_make_a_device_current()
    {
        var states = DeviceDeliveryStates.Of(["a", "b"], Pushes(("a", DevicePushStates.Pushed), ("b", DevicePushStates.Pushed)), 7, [Row("list", 1, "b"), Row("fetch", 2, version: 7, status: 200)]);

        Assert.Equal("pushed-not-fetched", StateOf(states, "a"));
        Assert.Equal("current", StateOf(states, "b"));
    }

    [Fact]
    public void Failed_and_gone_pushes_show_as_such_and_a_device_not_pushed_for_the_version_is_current()
    {
        var states = DeviceDeliveryStates.Of(["failed", "new"], Pushes(("failed", DevicePushStates.Failed), ("gone", DevicePushStates.Gone)), 7, []);

        Assert.Equal("push-failed", StateOf(states, "failed"));
        Assert.Equal("gone", StateOf(states, "gone"));
        Assert.Equal("current", StateOf(states, "new"));
    }
}
