using System.Net;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Delivery;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Apple;

/// <summary>
/// A device that registers after a change was already pushed. Apple's flow ("Adding a Web Service to Update Passes",
/// https://developer.apple.com/documentation/walletpasses/adding-a-web-service-to-update-passes; the archived Wallet
/// Developer Guide, "Updating a Pass", Figure 6-1): the pass is installed and the device registers; a change makes the
/// server push; only on the push does the device ask which passes changed since its tag ("Get the List of Updatable
/// Passes") and fetch them. Nothing in Apple's documentation has the device ask right after registering ("Register a Pass
/// for Update Notifications" answers 201 or 200 and that is all), so a device whose copy was downloaded before a change,
/// and whose registration lands after that change was pushed to the devices registered then, must be pushed itself, or it
/// shows the old pass until the next change. The service cannot know which version the device holds (the download link
/// names no device; the add sheet may sit open for minutes, and a .pkpass can be mailed around), so every new
/// registration of a pass changed since its issue is owed the current version, once.
/// </summary>
public sealed class LateRegistrationTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static ApnsEmulator Apns => SharedApns.Emulator;

    private WalletPassesFactory Factory => app.Factory;

    private static int AcceptedPushes(SimulatedDevice device) => Apns.Pushes.Count(push => push.PushToken == device.PushToken && push.Status == 200);

    /// <summary>What the retry job does on any instance once the registration's marker is due: the push goes out from storage, not from the request.</summary>
    private async Task RunRetryJobAsync()
    {
        Factory.Time.Advance(new DeliveryOptions().RetryInterval + TimeSpan.FromSeconds(1));
        await Factory.Services.GetRequiredService<StaleAnnouncementsJob>().RunOnceAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_device_registering_after_a_change_was_pushed_is_pushed_and_fetches_the_new_version()
    {
        var pass = await InstalledPass.IssueAsync(Factory, points: 100); // the late phone's copy: 100 points
        var early = new SimulatedDevice(Factory);
        Assert.Equal(HttpStatusCode.Created, (await early.RegisterAsync(pass)).StatusCode);
        var copyDate = (await early.FetchPassAsync(pass)).Content.Headers.LastModified;

        Factory.Time.Advance(TimeSpan.FromSeconds(2));
        await pass.SetPointsAsync(Factory, 250);
        await Eventually.HoldsAsync(() => Task.FromResult(AcceptedPushes(early) == 1), "the registered device is pushed the change");

        var late = new SimulatedDevice(Factory);
        Assert.Equal(HttpStatusCode.Created, (await late.RegisterAsync(pass)).StatusCode);
        await RunRetryJobAsync();

        // Before the fix: no push ever reached the late device, and it showed 100 points until the next change.
        await Eventually.HoldsAsync(() => Task.FromResult(AcceptedPushes(late) == 1), "the late device is pushed the version it missed");
        var (changed, _) = await late.ListChangedAsync(pass);
        Assert.Equal([pass.SerialNumber], changed);
        var fetched = await late.FetchPassAsync(pass, ifModifiedSince: copyDate);
        Assert.Equal(HttpStatusCode.OK, fetched.StatusCode);
        Assert.Equal(250, new PkPass(await fetched.Content.ReadAsByteArrayAsync()).Field("primaryFields", "points").GetProperty("value").GetInt64());

        await RunRetryJobAsync();
        Assert.Equal(1, AcceptedPushes(early)); // the device that had the version is not pushed again
        Assert.Equal(1, AcceptedPushes(late)); // and the late one only once
    }

    [Fact]
    public async Task A_device_that_unregisters_and_registers_again_is_pushed_the_current_version_again()
    {
        var pass = await InstalledPass.IssueAsync(Factory, points: 100);
        var iphone = new SimulatedDevice(Factory);
        await iphone.RegisterAsync(pass);
        Factory.Time.Advance(TimeSpan.FromSeconds(2));
        await pass.SetPointsAsync(Factory, 300);
        await Eventually.HoldsAsync(() => Task.FromResult(AcceptedPushes(iphone) == 1), "the device is pushed the change");

        // The customer removes the pass and adds it again, perhaps from an older download (the mail with the first link).
        Assert.Equal(HttpStatusCode.OK, (await iphone.UnregisterAsync(pass)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await iphone.RegisterAsync(pass)).StatusCode);
        await RunRetryJobAsync();

        // Before the fix: the outbox still counted this device as pushed for the version, so it was never pushed again.
        await Eventually.HoldsAsync(() => Task.FromResult(AcceptedPushes(iphone) == 2), "the re-added pass is pushed the current version");
    }

    [Fact]
    public async Task Two_devices_registering_at_once_after_a_change_are_each_pushed_once()
    {
        var pass = await InstalledPass.IssueAsync(Factory, points: 100);
        Factory.Time.Advance(TimeSpan.FromSeconds(2));
        await pass.SetPointsAsync(Factory, 400); // nobody registered yet: nobody to push
        var phone = new SimulatedDevice(Factory);
        var watch = new SimulatedDevice(Factory);

        var registered = await Task.WhenAll(phone.RegisterAsync(pass), watch.RegisterAsync(pass));
        Assert.All(registered, response => Assert.Equal(HttpStatusCode.Created, response.StatusCode));
        await RunRetryJobAsync();

        // Before the fix: neither was ever pushed.
        await Eventually.HoldsAsync(() => Task.FromResult(AcceptedPushes(phone) == 1 && AcceptedPushes(watch) == 1), "each device is pushed the change it missed");
        await RunRetryJobAsync();
        Assert.Equal((1, 1), (AcceptedPushes(phone), AcceptedPushes(watch)));
    }

    [Fact]
    public async Task A_device_registering_for_a_pass_unchanged_since_its_issue_is_not_pushed()
    {
        var pass = await InstalledPass.IssueAsync(Factory, points: 100);
        var iphone = new SimulatedDevice(Factory);
        Assert.Equal(HttpStatusCode.Created, (await iphone.RegisterAsync(pass)).StatusCode);
        await RunRetryJobAsync();

        // Every copy of a pass never changed is the current one: a push would only cost the device a list call.
        Assert.Equal(0, AcceptedPushes(iphone));
    }
}
