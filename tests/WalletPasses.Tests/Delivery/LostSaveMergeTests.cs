using WalletPasses.Delivery;

namespace WalletPasses.Tests.Delivery;

/// <summary>
/// A delivery whose save lost the ETag race to a late registration (<see cref="LostSaveMerge"/>), without storage. Apple's
/// device asks which passes changed only after a push ("Adding a Web Service to Update Passes",
/// https://developer.apple.com/documentation/walletpasses/adding-a-web-service-to-update-passes): a device left out of
/// the merge keeps the old pass, a device merged in as pushed is not pushed again.
/// </summary>
public sealed class LostSaveMergeTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 5, 8, 0, 0, TimeSpan.Zero);

    private static readonly string[] AppleSettled = ["apple"];

    private static PassAnnouncementEntity Announced() =>
        new() { PartitionKey = "m-1", SerialNumber = "s", Version = 3, AnnouncedAt = At, Pending = "apple google" };

    /// <summary>What a delivery attempt that pushed <paramref name="devices"/> would have saved.</summary>
    private static PassAnnouncementEntity Attempted(PassAnnouncementEntity read, params string[] devices)
    {
        var attempted = read.Copy();
        var pushes = DevicePushes.Parse(read.Records().GetValueOrDefault("apple"));
        foreach (var device in devices)
        {
            pushes.Record(device, new DevicePush(DevicePushStates.Pushed, At, 200, "apns-" + device, null));
        }

        var records = read.Records();
        records["apple"] = pushes.ToRecord();
        attempted.SetRecords(records);
        attempted.Pending = "google";
        return attempted;
    }

    [Fact]
    public void The_attempts_pushes_are_kept_and_the_device_registering_meanwhile_stays_owed()
    {
        var read = Announced();
        var attempted = Attempted(read, "phone", "tablet");
        var current = LateRegistrationRule.Reopen(read.Copy(), "watch"); // the registration committed first

        var merged = LostSaveMerge.Merge(read, attempted, AppleSettled, current)!;

        var pushes = DevicePushes.Parse(merged.Records()["apple"]);
        Assert.True(pushes.Delivered("phone")); // before the fix: the lost save dropped these, and both were pushed again
        Assert.True(pushes.Delivered("tablet"));
        Assert.False(pushes.Delivered("watch"));
        Assert.Equal(["apple", "google"], merged.PendingPlatforms.Order());
    }

    [Fact]
    public void A_device_the_attempt_pushed_that_registered_again_meanwhile_is_still_owed()
    {
        var read = Announced();
        var attempted = Attempted(read, "phone");
        var current = LateRegistrationRule.Reopen(read.Copy(), "phone"); // the pass removed and added again from an older download

        var merged = LostSaveMerge.Merge(read, attempted, AppleSettled, current)!;

        // The attempt's push may have reached the copy the device no longer has: Apple stays pending for it.
        Assert.False(DevicePushes.Parse(merged.Records()["apple"]).Delivered("phone"));
        Assert.Contains("apple", merged.PendingPlatforms);
    }

    [Fact]
    public void A_device_registering_a_second_time_while_already_owed_is_still_told_apart()
    {
        var read = LateRegistrationRule.Reopen(Announced(), "phone"); // owed before the attempt read the row
        var attempted = Attempted(read, "phone");
        var current = LateRegistrationRule.Reopen(read.Copy(), "phone"); // and reopened again while it pushed

        var merged = LostSaveMerge.Merge(read, attempted, AppleSettled, current)!;

        Assert.False(DevicePushes.Parse(merged.Records()["apple"]).Delivered("phone"));
    }

    [Fact]
    public void With_nobody_registering_the_attempt_settles_Apple_and_counts_its_failed_attempt()
    {
        var read = Announced();
        var attempted = Attempted(read, "phone");
        attempted.Pending = "apple google";
        attempted.FailedAttempts = 1;
        var current = read.Copy();
        current.FailedAttempts = 2; // another attempt failed meanwhile

        var merged = LostSaveMerge.Merge(read, attempted, [], current)!;

        Assert.True(DevicePushes.Parse(merged.Records()["apple"]).Delivered("phone"));
        Assert.Equal(3, merged.FailedAttempts);
        Assert.Equal(["apple", "google"], merged.PendingPlatforms.Order());
    }

    [Fact]
    public void A_newer_version_leaves_nothing_to_merge()
    {
        var read = Announced();
        var current = Announced();
        current.Version = 4;

        Assert.Null(LostSaveMerge.Merge(read, Attempted(read, "phone"), AppleSettled, current));
    }
}
