using System.Net;
using Microsoft.Extensions.DependencyInjection;
using WalletPasses.Delivery;
using WalletPasses.Tests.Apple;
using WalletPasses.Tests.Infrastructure;

namespace WalletPasses.Tests.Delivery;

/// <summary>
/// APNs's 410 "device token is no longer active for the topic" carries a <c>timestamp</c>, "the last time at which APNs
/// confirmed that the device token was no longer valid for the topic. Stop pushing notifications until the device
/// registers a token with a later timestamp with your provider" (Apple, "Handling notification responses from APNs",
/// https://developer.apple.com/documentation/usernotifications/handling-notification-responses-from-apns). A device
/// registers with Apple's PassKit web service by POSTing its push token again, answered 200 when "the serial number is
/// already registered for this device" (Apple, "Register a pass for update notifications",
/// https://developer.apple.com/documentation/walletpasses/register-a-pass-for-update-notifications).
/// </summary>
public sealed class GoneDeviceTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static ApnsEmulator Apns => SharedApns.Emulator;

    private WalletPassesFactory Factory => app.Factory;

    private async Task<SimulatedDevice> RegisteredAsync(InstalledPass pass)
    {
        var device = new SimulatedDevice(Factory);
        Assert.Equal(HttpStatusCode.Created, (await device.RegisterAsync(pass)).StatusCode);
        return device;
    }

    private static int PushesTo(SimulatedDevice device, int status) => Apns.Pushes.Count(p => p.PushToken == device.PushToken && p.Status == status);

    [Fact]
    public async Task A_device_that_registered_again_after_APNs_found_its_token_gone_keeps_its_registration_and_gets_the_version()
    {
        var pass = await InstalledPass.IssueAsync(Factory);
        var iphone = await RegisteredAsync(pass);
        Factory.Time.Advance(TimeSpan.FromMinutes(1));
        var invalidSince = Factory.Time.GetUtcNow();
        Factory.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.OK, (await iphone.RegisterAsync(pass)).StatusCode); // the same token, after APNs's timestamp
        Apns.RespondToToken(iphone.PushToken, ApnsReply.UnregisteredSince(invalidSince));

        await pass.SetPointsAsync(Factory, 200);

        // Before the fix: the 410 removed the registration whatever its timestamp; the list call answered 204.
        Assert.Equal(1, PushesTo(iphone, 410));
        Assert.Equal(HttpStatusCode.OK, (await iphone.ListAsync(pass)).StatusCode);

        // The version has yet to reach the device: the outbox pushes it again.
        Apns.RespondToToken(iphone.PushToken, ApnsReply.Ok);
        Factory.Time.Advance(new DeliveryOptions().RetryInterval + TimeSpan.FromSeconds(1));
        await Factory.Services.GetRequiredService<StaleAnnouncementsJob>().RunOnceAsync(CancellationToken.None);
        await Eventually.HoldsAsync(() => PushesTo(iphone, 200) == 1, "the version is pushed again to the re-registered device");
    }

    [Fact]
    public async Task A_410_dated_after_the_devices_last_registration_removes_it()
    {
        var pass = await InstalledPass.IssueAsync(Factory);
        var iphone = await RegisteredAsync(pass);
        Factory.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.OK, (await iphone.RegisterAsync(pass)).StatusCode);
        Factory.Time.Advance(TimeSpan.FromMinutes(1));
        Apns.RespondToToken(iphone.PushToken, ApnsReply.UnregisteredSince(Factory.Time.GetUtcNow()));

        await pass.SetPointsAsync(Factory, 200);

        Assert.Equal(1, PushesTo(iphone, 410));
        Assert.Empty(await StoredRegistrations.ForMemberAsync(Factory, pass.MemberId));
        Assert.Equal(HttpStatusCode.NoContent, (await iphone.ListAsync(pass)).StatusCode);
    }

    [Fact]
    public async Task A_device_APNs_finds_gone_on_its_re_push_loses_its_registration()
    {
        var pass = await InstalledPass.IssueAsync(Factory);
        var asleep = await RegisteredAsync(pass);
        Factory.Time.Advance(TimeSpan.FromSeconds(2));
        await pass.SetPointsAsync(Factory, 200);
        Assert.Equal(1, PushesTo(asleep, 200)); // pushed, never asks what changed

        // The pass was deleted meanwhile, its device offline: APNs now answers 410 for its token.
        Factory.Time.Advance(new DeliveryOptions().RepushAfter + TimeSpan.FromMinutes(2));
        Apns.RespondToToken(asleep.PushToken, ApnsReply.UnregisteredSince(Factory.Time.GetUtcNow()));
        await Factory.Services.GetRequiredService<DeliveryTrace>().FlushAsync(CancellationToken.None); // the job reads the push's trace
        await Factory.Services.GetRequiredService<RepushJob>().RunOnceAsync(CancellationToken.None);
        await Eventually.HoldsAsync(() => PushesTo(asleep, 410) == 1, "the device is pushed once more");

        // Before the fix: the re-push ignored the 410 and the registration stayed, pushed for every later version.
        await Eventually.HoldsAsync(async () => (await StoredRegistrations.ForMemberAsync(Factory, pass.MemberId)).Count == 0, "the gone device's registration is removed");
        Assert.Equal(HttpStatusCode.NoContent, (await asleep.ListAsync(pass)).StatusCode);
    }
}
