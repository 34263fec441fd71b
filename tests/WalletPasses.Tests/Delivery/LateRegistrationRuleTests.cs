using WalletPasses.Delivery;

namespace WalletPasses.Tests.Delivery;

/// <summary>
/// The rule for a device that registers after a version went out (<see cref="LateRegistrationRule"/>), without storage.
/// Apple's device asks which passes changed only after a push ("Adding a Web Service to Update Passes",
/// https://developer.apple.com/documentation/walletpasses/adding-a-web-service-to-update-passes), so the outbox must push it.
/// </summary>
public sealed class LateRegistrationRuleTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 5, 8, 0, 0, TimeSpan.Zero);

    private static PassAnnouncementEntity Delivered(params string[] pushedDevices)
    {
        var pushes = DevicePushes.Parse(null);
        foreach (var device in pushedDevices)
        {
            pushes.Record(device, new DevicePush(DevicePushStates.Pushed, At, 200, "apns-id", null));
        }

        var announcement = new PassAnnouncementEntity { PartitionKey = "m-1", SerialNumber = "s", Version = 3, AnnouncedAt = At, Pending = "" };
        announcement.SetRecords(new Dictionary<string, string> { ["apple"] = pushes.ToRecord(), ["google"] = "{}" });
        return announcement;
    }

    [Fact]
    public void A_pass_still_at_its_issued_version_owes_a_new_device_nothing_a_changed_one_does()
    {
        Assert.False(LateRegistrationRule.Owes(LateRegistrationRule.IssuedVersion));
        Assert.True(LateRegistrationRule.Owes(LateRegistrationRule.IssuedVersion + 1));
    }

    [Fact]
    public void A_delivered_version_goes_back_to_Apple_for_the_new_device_only()
    {
        var reopened = LateRegistrationRule.Reopen(Delivered("phone"), "watch");

        Assert.Equal(["apple"], reopened.PendingPlatforms);
        var pushes = DevicePushes.Parse(reopened.Records()["apple"]);
        Assert.True(pushes.Delivered("phone")); // not pushed again
        Assert.False(pushes.Delivered("watch"));
        Assert.Equal("{}", reopened.Records()["google"]);
    }

    [Fact]
    public void A_device_registering_again_loses_its_earlier_push_of_the_version()
    {
        var reopened = LateRegistrationRule.Reopen(Delivered("phone", "watch"), "phone");

        var pushes = DevicePushes.Parse(reopened.Records()["apple"]);
        Assert.False(pushes.Delivered("phone"));
        Assert.True(pushes.Delivered("watch"));
    }

    [Fact]
    public void A_version_still_pending_for_Google_stays_pending_for_it_and_Apple_is_named_once()
    {
        var announcement = Delivered();
        announcement.Pending = "google apple";

        Assert.Equal(["google", "apple"], LateRegistrationRule.Reopen(announcement, "phone").PendingPlatforms);
    }
}
